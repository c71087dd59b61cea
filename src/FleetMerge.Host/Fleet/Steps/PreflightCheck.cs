using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// The preflight step's verdict (pure, over the host's lvs rows and free space): every volume
/// exists, is an active origin, is not merging and has no failed merge, and the campaign's
/// snapshots still to take fit in the free space. Every problem is named, in one line.
/// </summary>
public static class PreflightCheck
{
    public static StepOutcome Run(HostStep step, IReadOnlyList<LvRow> rows, long freeBytes)
    {
        if (step.Volumes.Count == 0) return StepOutcome.Failed("preflight: the step names no volumes");
        SnapshotSize? size = null;
        if (!string.IsNullOrWhiteSpace(step.Size))
        {
            try { size = SnapshotSize.Parse(step.Size); }
            catch (FleetRequestException e) { return StepOutcome.Failed($"preflight: {e.Message}"); }
        }
        var problems = new List<string>();
        long needed = 0;
        foreach (string name in step.Volumes)
        {
            if (!VolumeRef.TryParse(name, out var volume))
            {
                problems.Add($"volume '{name}': expected VG/LV");
                continue;
            }
            var row = rows.FirstOrDefault(r => r.Vg == volume.Vg && r.Name == volume.Lv);
            if (row is null)
            {
                problems.Add($"{volume}: no such volume");
                continue;
            }
            if (OriginProblem(volume, row, rows) is { } problem)
            {
                problems.Add(problem);
                continue;
            }
            bool taken = step.SnapshotTag is { } tag && rows.Any(r => r.Vg == volume.Vg && r.Name == SnapshotNames.For(volume.Lv, tag));
            if (size is { } s && !taken) needed += CowBytes.For(s, row.SizeBytes);
        }
        if (needed > freeBytes)
            problems.Add($"not enough free space: the snapshots need {ByteCounts.Format(needed)} of COW, {ByteCounts.Format(freeBytes)} free");
        if (problems.Count > 0) return StepOutcome.Failed($"preflight: {string.Join("; ", problems)}");
        string volumes = step.Volumes.Count == 1 ? "1 volume" : $"{step.Volumes.Count} volumes";
        return StepOutcome.Done(size is null
            ? $"preflight ok: {volumes}; {ByteCounts.Format(freeBytes)} free"
            : $"preflight ok: {volumes}; the snapshots need {ByteCounts.Format(needed)} of COW, {ByteCounts.Format(freeBytes)} free");
    }

    /// <summary>Why the volume of <paramref name="row"/> cannot be snapshotted and rolled back now, or null.</summary>
    public static string? OriginProblem(VolumeRef volume, LvRow row, IReadOnlyList<LvRow> rows)
    {
        // lv_attr (FleetMerge.Storage.Groups.LvAttr): [0] type, [4] state.
        char type = row.Attr[0], state = row.Attr[4];
        if (type is 's' or 'S') return $"{volume} is a snapshot, not an origin";
        if (type == 'O')
        {
            var merging = rows.FirstOrDefault(r => r.Vg == volume.Vg && r.Origin == volume.Lv && r.Attr[0] == 'S');
            return $"{volume} is merging (or marked to merge){(merging is null ? "" : $" from {volume.Vg}/{merging.Name}")}";
        }
        if (state == '-') return $"{volume} is not active";
        if (state == 'm') return $"{volume}: a merge into it failed";
        return null;
    }
}
