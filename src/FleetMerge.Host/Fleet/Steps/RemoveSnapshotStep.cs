using FleetMerge.Protocol.Host;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// remove-snapshot: lvremove of the campaign's snapshot of every volume, or of each "VG/LV" the
/// step names (a policy's prune). Gone already counts as done; a merging snapshot is refused (it
/// goes away when its merge completes), and so is anything that is not a snapshot.
/// </summary>
public static class RemoveSnapshotStep
{
    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        var (targets, problem) = Targets(context);
        if (problem is not null) return StepOutcome.Failed(problem);
        var notes = new List<string>();
        foreach (var snapshot in targets)
        {
            var row = StepContext.Find(await context.RowsAsync(), snapshot);
            if (row is null)
            {
                notes.Add($"{snapshot} already gone");
                continue;
            }
            if (row.Origin is null) return StepOutcome.Failed($"remove-snapshot: {snapshot} is not a snapshot; only snapshots are removed");
            if (row.Attr[0] == 'S')
                return StepOutcome.Failed($"remove-snapshot: {snapshot} is merging (or marked to merge) into {snapshot.Vg}/{row.Origin}; it goes away when the merge completes");
            context.Waiting = $"removing {snapshot}";
            try
            {
                await context.AskAsync<LvRemoved>(new RemoveLv(snapshot.Vg, snapshot.Lv));
                notes.Add($"{snapshot} removed");
            }
            catch (VolumeNotFoundException)
            {
                notes.Add($"{snapshot} already gone");
            }
        }
        return StepOutcome.Done($"remove-snapshot: {string.Join("; ", notes)}");
    }

    private static (IReadOnlyList<VolumeRef>, string?) Targets(StepContext context)
    {
        var step = context.Step;
        if (step.Snapshots.Count > 0)
        {
            var named = new List<VolumeRef>();
            foreach (string name in step.Snapshots)
            {
                if (!VolumeRef.TryParse(name, out var snapshot)) return ([], $"remove-snapshot: snapshot '{name}': expected VG/LV");
                named.Add(snapshot);
            }
            return (named, null);
        }
        if (string.IsNullOrEmpty(step.SnapshotTag)) return ([], "remove-snapshot: the step has neither a snapshot tag nor snapshot names");
        var (volumes, problem) = context.Volumes();
        return problem is not null ? ([], problem) : ([.. volumes.Select(context.SnapshotOf)], null);
    }
}
