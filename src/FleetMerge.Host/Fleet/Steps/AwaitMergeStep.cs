using System.Globalization;
using Akka.Actor;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// await-merge: looks at the merge of the campaign's snapshot of every volume every poll interval
/// until all are complete (ok) or one failed. Pending, running and stopped merges are waited for
/// (a reboot resumes them); the step's timeout ends the wait.
/// </summary>
public static class AwaitMergeStep
{
    /// <summary>A look that gets no answer (the agent restarting) is simply repeated.</summary>
    private static readonly TimeSpan LookLimit = TimeSpan.FromSeconds(10);

    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        if (string.IsNullOrEmpty(context.Step.SnapshotTag)) return StepOutcome.Failed("await-merge: the step has no snapshot tag");
        var (volumes, problem) = context.Volumes();
        if (problem is not null) return StepOutcome.Failed(problem);
        while (true)
        {
            var waiting = new List<string>();
            var merged = new List<string>();
            foreach (var origin in volumes)
            {
                var snapshot = context.SnapshotOf(origin);
                MergeState? merge;
                try { merge = (await context.AskAsync<MergeStateReply>(new GetMergeState(snapshot.Vg, snapshot.Lv), LookLimit)).Merge; }
                catch (AskTimeoutException)
                {
                    waiting.Add($"{snapshot}: no answer from the host agent");
                    continue;
                }
                switch (merge)
                {
                    case null:
                        bool exists = StepContext.Find(await context.RowsAsync(), snapshot) is not null;
                        return StepOutcome.Failed(exists
                            ? $"await-merge: {snapshot} is not marked to merge"
                            : $"await-merge: {snapshot}: no such snapshot and no merge of it is known");
                    case { State: "failed" }:
                        return StepOutcome.Failed($"await-merge: the merge of {snapshot} failed: {merge.Error ?? merge.Status}");
                    case { State: "complete" }:
                        merged.Add($"{snapshot} ({merge.InitialExceptions} exceptions)");
                        break;
                    default:
                        waiting.Add(string.Create(CultureInfo.InvariantCulture, $"{snapshot}: {merge.State} {merge.Percent:0.##}%"));
                        break;
                }
            }
            if (waiting.Count == 0) return StepOutcome.Done($"merged: {string.Join("; ", merged)}");
            context.Waiting = $"waiting for the merge of {string.Join("; ", waiting)}";
            await Task.Delay(context.PollInterval, context.Ct);
        }
    }
}
