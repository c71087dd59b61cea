using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>snapshot: the campaign's snapshot of every volume (lvcreate -s); one already there counts as taken.</summary>
public static class SnapshotStep
{
    public const int DefaultChunkBytes = 4096;

    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        var step = context.Step;
        if (string.IsNullOrEmpty(step.SnapshotTag)) return StepOutcome.Failed("snapshot: the step has no snapshot tag");
        SnapshotSize size;
        try { size = SnapshotSize.Parse(step.Size); }
        catch (FleetRequestException e) { return StepOutcome.Failed($"snapshot: {e.Message}"); }
        var (volumes, problem) = context.Volumes();
        if (problem is not null) return StepOutcome.Failed(problem);
        int chunk = step.ChunkBytes > 0 ? step.ChunkBytes : DefaultChunkBytes;

        var notes = new List<string>();
        foreach (var origin in volumes)
        {
            var rows = await context.RowsAsync();
            var snapshot = context.SnapshotOf(origin);
            if (StepContext.Find(rows, origin) is not { } row) return StepOutcome.Failed($"snapshot: {origin}: no such volume");
            if (row.Origin is not null) return StepOutcome.Failed($"snapshot: {origin} is a snapshot, not an origin");
            if (StepContext.Find(rows, snapshot) is { } existing)
            {
                if (existing.Origin != origin.Lv) return StepOutcome.Failed($"snapshot: {snapshot} exists and is not a snapshot of {origin}");
                notes.Add($"{snapshot} already taken");
                continue;
            }
            long bytes = CowBytes.For(size, row.SizeBytes);
            context.Waiting = $"taking {snapshot}";
            await context.AskAsync<LvRow>(new CreateSnapshot(origin.Vg, origin.Lv, snapshot.Lv, bytes, chunk));
            notes.Add($"{snapshot} taken ({ByteCounts.Format(bytes)} of COW)");
        }
        return StepOutcome.Done($"snapshot: {string.Join("; ", notes)}");
    }
}
