using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// mark-merge: lvconvert --merge of the campaign's snapshot of every volume, onactivate (the merge
/// starts at the next activation: the reboot). Already marked, or already merged (the snapshot is
/// gone and its merge completed), counts as done.
/// </summary>
public static class MarkMergeStep
{
    public const string Mode = "onactivate";

    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        if (string.IsNullOrEmpty(context.Step.SnapshotTag)) return StepOutcome.Failed("mark-merge: the step has no snapshot tag");
        var (volumes, problem) = context.Volumes();
        if (problem is not null) return StepOutcome.Failed(problem);
        var notes = new List<string>();
        foreach (var origin in volumes)
        {
            var snapshot = context.SnapshotOf(origin);
            context.Waiting = $"marking {snapshot} to merge";
            var rows = await context.RowsAsync();
            if (StepContext.Find(rows, snapshot) is { } row)
            {
                if (row.Origin != origin.Lv) return StepOutcome.Failed($"mark-merge: {snapshot} is not a snapshot of {origin}");
                if (row.Attr[0] == 'S')
                {
                    notes.Add($"{snapshot} already marked");
                    continue;
                }
                await context.AskAsync<MergeState>(new RequestMerge(snapshot.Vg, snapshot.Lv, Mode));
                notes.Add($"{snapshot} marked to merge at the next activation");
                continue;
            }
            var merge = (await context.AskAsync<MergeStateReply>(new GetMergeState(snapshot.Vg, snapshot.Lv))).Merge;
            if (merge is { State: "complete" })
            {
                notes.Add($"{snapshot} already merged");
                continue;
            }
            return StepOutcome.Failed($"mark-merge: {snapshot}: no such snapshot{(merge is null ? "" : $" (its merge is {merge.State})")}");
        }
        return StepOutcome.Done($"mark-merge: {string.Join("; ", notes)}");
    }
}
