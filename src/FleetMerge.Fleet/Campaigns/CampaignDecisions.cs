using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// What a campaign does next, as pure functions (state, input, now) → events. The events are
/// applied with <see cref="CampaignEvolution.Apply"/>; the actor journals them, then sends the
/// steps they started. A host's outcome is decided exactly once: a result counts only when its key
/// is the host's pending key, and deciding clears that key.
/// </summary>
public static class CampaignDecisions
{
    public static CampaignCreated Create(CampaignPlan plan, string requestedBy, DateTimeOffset now) => new(plan, requestedBy, now);

    /// <summary>A host's answer: ignored unless <see cref="HostStepResult.Key"/> is that host's pending key.</summary>
    public static IReadOnlyList<ICampaignEvent> OnResult(CampaignState state, HostStepResult result, DateTimeOffset now)
    {
        var d = new Fold(state);
        var host = Host(state, result.HostId);
        if (host is null || host.PendingKey is null || host.PendingKey != result.Key) return d.Events;
        if (result.Ok)
        {
            d.Add(new StepSucceeded(host.HostId, host.StepIndex, result.Key, result.Detail, now));
            var after = Host(d.State, host.HostId)!;
            if (after.Outcome == HostOutcomes.Running && d.State.State == CampaignStates.Aborted)
                d.Add(new HostStopped(host.HostId, StoppedDetail(d.State.Plan, after.StepIndex), now));
        }
        else
        {
            d.Add(new StepFailed(host.HostId, host.StepIndex, result.Key, result.Detail, now));
            CheckBudget(d, now);
        }
        return d.Events;
    }

    /// <summary>The clock moved on: steps without an answer past their timeout plus the grace fail their host.</summary>
    /// <param name="refusals">The last refusal reason per key (a host that refused every delivery), for the failure's detail.</param>
    public static IReadOnlyList<ICampaignEvent> OnTick(CampaignState state, DateTimeOffset now, CampaignTuning tuning, Func<string, string?>? refusals = null)
    {
        var d = new Fold(state);
        if (state.EndedAt is not null) return d.Events;
        foreach (var host in state.Hosts)
        {
            if (host.PendingKey is null || now <= Deadline(state, host, tuning)) continue;
            string waited = CampaignTuning.Format(state.Plan.Spec.StepTimeout + tuning.TimeoutGrace);
            string refused = refusals?.Invoke(host.PendingKey) is { } reason ? $" (it refused the step: {reason})" : "";
            d.Add(new StepFailed(host.HostId, host.StepIndex, host.PendingKey, $"no answer from host {host.HostId} within {waited}{refused}", now));
            CheckBudget(d, now);
        }
        return d.Events;
    }

    public static IReadOnlyList<ICampaignEvent> Pause(CampaignState state, DateTimeOffset now)
    {
        if (state.State != CampaignStates.Running || state.EndedAt is not null)
            throw Conflict($"campaign {state.Plan.Id} is {Describe(state)}; only a running campaign can be paused");
        return [new CampaignPaused(now)];
    }

    public static IReadOnlyList<ICampaignEvent> Resume(CampaignState state, DateTimeOffset now)
    {
        if (state.State != CampaignStates.Paused || state.EndedAt is not null)
            throw Conflict($"campaign {state.Plan.Id} is {Describe(state)}; only a paused campaign can be resumed");
        return [new CampaignResumed(now)];
    }

    /// <summary>No new step starts; hosts that have not started are skipped, hosts between two steps stop (failed).</summary>
    public static IReadOnlyList<ICampaignEvent> Abort(CampaignState state, DateTimeOffset now)
    {
        if (state.EndedAt is not null) throw Conflict($"campaign {state.Plan.Id} has ended ({state.State}); there is nothing to abort");
        if (state.State == CampaignStates.Aborted)
            throw Conflict($"campaign {state.Plan.Id} is aborted already; it ends when its hosts in flight answer");
        var d = new Fold(state);
        d.Add(new CampaignAborted(now));
        SkipPending(d, "the campaign was aborted before the host's turn", now);
        foreach (var host in d.State.Hosts)
            if (host.Outcome == HostOutcomes.Running && host.PendingKey is null)
                d.Add(new HostStopped(host.HostId, StoppedDetail(state.Plan, host.StepIndex), now));
        return d.Events;
    }

    /// <summary>
    /// Starts what may start now: the next step of hosts between steps (running campaigns, and
    /// halted ones finishing their hosts in flight), new hosts of the current wave up to MaxInFlight,
    /// the next wave once every host of the current one has ended; and ends the campaign when no
    /// host is left running. Steps start only inside the maintenance window and never while paused.
    /// </summary>
    public static IReadOnlyList<ICampaignEvent> Advance(CampaignState state, DateTimeOffset now)
    {
        var d = new Fold(state);
        if (state.EndedAt is not null) return d.Events;
        bool open = MaintenanceWindow.IsOpen(state.Plan.Spec.Window, now);
        if (open && state.State is CampaignStates.Running or CampaignStates.Failed)
        {
            foreach (var host in state.Hosts)
                if (host.Outcome == HostOutcomes.Running && host.PendingKey is null)
                    d.Add(new StepStarted(host.HostId, host.StepIndex, CampaignSteps.Key(state.Plan, host.HostId, host.StepIndex), now));
        }
        if (open && state.State == CampaignStates.Running) StartHosts(d, now);
        var s = d.State;
        if (s.Hosts.Any(h => h.Outcome == HostOutcomes.Running)) return d.Events;
        if (s.State is CampaignStates.Failed or CampaignStates.Aborted)
            d.Add(new CampaignEnded(s.State, now));
        else if (s.Hosts.All(h => IsEnded(h.Outcome)))
            d.Add(new CampaignEnded(CampaignStates.Completed, now));
        return d.Events;
    }

    /// <summary>The actor started again on its journal: unanswered steps get their timeout from now and are resent.</summary>
    public static IReadOnlyList<ICampaignEvent> Recovered(CampaignState state, DateTimeOffset now) =>
        state.EndedAt is not null ? [] : [new CampaignRecovered(state.Hosts.Count(h => h.PendingKey is not null), now)];

    public static IReadOnlyList<ICampaignEvent> RecordFollowUp(CampaignState state, string? followUp, DateTimeOffset now) =>
        followUp is null || state.FollowUp == followUp ? [] : [new FollowUpStarted(followUp, now)];

    /// <summary>The failed hosts an automatic rollback covers once the campaign has ended halted (none otherwise).</summary>
    public static IReadOnlyList<string> AutoRollbackHosts(CampaignState state)
    {
        var spec = state.Plan.Spec;
        if (!spec.AutoRollback || spec.Kind != CampaignKinds.Snapshot || state.EndedAt is null || state.State != CampaignStates.Failed
            || state.FollowUp is not null)
            return [];
        return Targets(state).FailedWithSnapshot;
    }

    public static CampaignTargets Targets(CampaignState state) => new(
        state.Plan.Id, state.Plan.Spec.Kind, state.State, state.EndedAt is not null, state.Plan.Tag, state.Plan.Volumes,
        [.. state.Hosts.Where(h => h.SnapshotTaken).Select(h => h.HostId).Order(StringComparer.Ordinal)],
        [.. state.Hosts.Where(h => h.SnapshotTaken && h.Outcome == HostOutcomes.Failed).Select(h => h.HostId).Order(StringComparer.Ordinal)]);

    /// <summary>When the campaign stops waiting for the host's pending step.</summary>
    public static DateTimeOffset Deadline(CampaignState state, HostRun host, CampaignTuning tuning)
    {
        var from = host.SentAt ?? state.CreatedAt;
        if (state.ResumedAt is { } resumed && resumed > from) from = resumed;
        return from + state.Plan.Spec.StepTimeout + tuning.TimeoutGrace;
    }

    public static bool IsEnded(string outcome) => outcome is HostOutcomes.Succeeded or HostOutcomes.Failed or HostOutcomes.Skipped;

    public static HostRun? Host(CampaignState state, string hostId)
    {
        int i = CampaignEvolution.IndexOf(state.Plan, hostId);
        return i < 0 ? null : state.Hosts[i];
    }

    private static void StartHosts(Fold d, DateTimeOffset now)
    {
        var plan = d.State.Plan;
        while (true)
        {
            if (d.State.CurrentWave == 0)
            {
                d.Add(new WaveStarted(1, now));
                continue;
            }
            var wave = plan.Waves[d.State.CurrentWave - 1];
            var hosts = wave.Hosts.Select(h => Host(d.State, h)!).ToList();
            if (hosts.All(h => IsEnded(h.Outcome)))
            {
                if (d.State.CurrentWave >= plan.Waves.Count) return;
                d.Add(new WaveStarted(d.State.CurrentWave + 1, now));
                continue;
            }
            int limit = plan.Spec.MaxInFlight == 0 ? wave.Hosts.Count : plan.Spec.MaxInFlight;
            int inFlight = hosts.Count(h => h.Outcome == HostOutcomes.Running);
            foreach (var host in hosts)
            {
                if (inFlight >= limit) break;
                if (host.Outcome != HostOutcomes.Pending) continue;
                d.Add(new StepStarted(host.HostId, 0, CampaignSteps.Key(plan, host.HostId, 0), now));
                inFlight++;
            }
            return;
        }
    }

    private static void CheckBudget(Fold d, DateTimeOffset now)
    {
        var s = d.State;
        if (s.State is not (CampaignStates.Running or CampaignStates.Paused) || s.FailuresSeen <= s.Plan.FailuresAllowed) return;
        var failed = s.Hosts.Where(h => h.Outcome == HostOutcomes.Failed).Select(h => h.HostId).ToList();
        string hosts = string.Join(", ", failed.Take(5)) + (failed.Count > 5 ? $" and {failed.Count - 5} more" : "");
        d.Add(new CampaignHalted($"failure budget spent: {s.FailuresSeen} hosts failed ({hosts}), {s.Plan.FailuresAllowed} allowed", now));
        SkipPending(d, "the campaign halted (failure budget spent) before the host's turn", now);
    }

    private static void SkipPending(Fold d, string reason, DateTimeOffset now)
    {
        var pending = d.State.Hosts.Where(h => h.Outcome == HostOutcomes.Pending).Select(h => h.HostId).ToList();
        if (pending.Count > 0) d.Add(new HostsSkipped(pending, reason, now));
    }

    private static string StoppedDetail(CampaignPlan plan, int nextStep) =>
        $"stopped by the abort after {CampaignSteps.Name(plan, nextStep - 1)} ({nextStep} of {plan.Steps.Count} steps done)";

    private static string Describe(CampaignState state) =>
        state.EndedAt is not null ? $"{state.State} (ended)" : state.State;

    private static FleetRequestException Conflict(string message) => new(FleetRequestException.Conflict, message);

    /// <summary>Events decided so far and the state they lead to (later decisions see earlier ones).</summary>
    private sealed class Fold(CampaignState state)
    {
        public CampaignState State { get; private set; } = state;

        public List<ICampaignEvent> Events { get; } = [];

        public void Add(ICampaignEvent e)
        {
            State = CampaignEvolution.Apply(State, e);
            Events.Add(e);
        }
    }
}
