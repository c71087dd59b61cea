using System.Globalization;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>What operators read about a campaign, derived from its state (pure).</summary>
public static class CampaignProjection
{
    private const int NamedHosts = 5;

    public static CampaignView View(CampaignState state, DateTimeOffset now)
    {
        var plan = state.Plan;
        var waves = plan.Waves.Select(w => new WaveView(w.Number, w.Name, w.Hosts, WaveState(state, w))).ToList();
        var hosts = state.Hosts.Select(h => new HostProgress(
            h.HostId, h.Wave, h.Outcome,
            h.Outcome is HostOutcomes.Pending or HostOutcomes.Skipped ? null : CampaignSteps.Name(plan, h.StepIndex),
            h.StepIndex, plan.Steps.Count, h.Detail, h.StartedAt, h.EndedAt)).ToList();
        var timeline = state.Timeline.Select(n => new TimelineEntry(n.At, n.What)).ToList();
        if (state.TimelineDropped > 0)
            timeline.Insert(0, new TimelineEntry(state.Timeline[0].At, $"({state.TimelineDropped} earlier entries not kept)"));
        return new CampaignView(
            plan.Id, plan.Spec, state.State, state.CreatedAt, state.EndedAt, state.CurrentWave, waves, hosts,
            plan.FailuresAllowed, state.FailuresSeen, state.Halted, state.FollowUp, WaitingFor(state, now), timeline);
    }

    public static CampaignIndexEntry Entry(CampaignState state, int number)
    {
        int succeeded = 0, failed = 0, running = 0;
        foreach (var h in state.Hosts)
        {
            if (h.Outcome == HostOutcomes.Succeeded) succeeded++;
            else if (h.Outcome == HostOutcomes.Failed) failed++;
            else if (h.Outcome == HostOutcomes.Running) running++;
        }
        var spec = state.Plan.Spec;
        return new CampaignIndexEntry(state.Plan.Id, number, spec.Kind, state.State, spec.Hosts, state.Hosts.Count, succeeded, failed, running,
            state.CreatedAt, state.EndedAt, spec.Policy, spec.Of, state.FollowUp);
    }

    public static CampaignSummary Summary(CampaignIndexEntry e) =>
        new(e.Id, e.Kind, e.State, e.Hosts, e.HostCount, e.Succeeded, e.Failed, e.Running, e.CreatedAt, e.EndedAt, e.Policy, e.Of);

    /// <summary>What the campaign waits for now, in one line; null once it has ended.</summary>
    public static string? WaitingFor(CampaignState state, DateTimeOffset now)
    {
        if (state.EndedAt is not null) return null;
        var plan = state.Plan;
        var asked = state.Hosts.Where(h => h.PendingKey is not null).ToList();
        bool between = state.Hosts.Any(h => h.Outcome == HostOutcomes.Running && h.PendingKey is null);
        bool toStart = between || (state.State == CampaignStates.Running && state.Hosts.Any(h => h.Outcome == HostOutcomes.Pending));
        string answers = asked.Count == 0 ? "" : "answers to " + Names(asked.Select(h => $"{h.HostId} {CampaignSteps.Name(plan, h.StepIndex)}").ToList());
        if (state.State == CampaignStates.Paused)
            return "resume (the campaign is paused)" + (answers.Length > 0 ? "; " + answers : "");
        if (toStart && plan.Spec.Window is { } window && !MaintenanceWindow.IsOpen(window, now))
        {
            var opens = TimeZoneInfo.ConvertTime(MaintenanceWindow.NextOpening(window, now), MaintenanceWindow.TimeZone(window));
            return $"the maintenance window {MaintenanceWindow.Describe(window)} (opens {opens.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)})"
                + (answers.Length > 0 ? "; " + answers : "");
        }
        if (answers.Length > 0)
            return state.State == CampaignStates.Running ? answers : $"{answers} (the hosts in flight, before the campaign ends {state.State})";
        return null;
    }

    private static string WaveState(CampaignState state, WavePlan wave)
    {
        if (wave.Hosts.All(h => CampaignDecisions.IsEnded(CampaignDecisions.Host(state, h)!.Outcome))) return "done";
        return wave.Number <= state.CurrentWave ? "running" : "pending";
    }

    private static string Names(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(NamedHosts)) + (items.Count > NamedHosts ? $" (+{items.Count - NamedHosts} more)" : "");
}
