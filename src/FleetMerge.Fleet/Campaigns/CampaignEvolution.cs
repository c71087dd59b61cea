using System.Runtime.CompilerServices;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// Event → state for a campaign: a pure function used for replay and for live changes alike.
/// It records what happened and never decides (<see cref="CampaignDecisions"/> does that).
/// </summary>
public static class CampaignEvolution
{
    /// <summary>Timeline notes kept in the state (the oldest are dropped first).</summary>
    public const int TimelineLimit = 200;

    private static readonly ConditionalWeakTable<CampaignPlan, Dictionary<string, int>> HostIndexes = new();

    public static CampaignState Create(CampaignCreated created)
    {
        var plan = created.Plan;
        var hosts = plan.Waves
            .SelectMany(w => w.Hosts.Select(h => new HostRun(h, w.Number, HostOutcomes.Pending, 0, null, null, false, null, null, null)))
            .ToList();
        string waves = plan.Waves.Count == 1 ? "1 wave" : $"{plan.Waves.Count} waves";
        var note = new TimelineNote(created.At,
            $"created by {created.RequestedBy}: {plan.Spec.Kind} of {Describe(plan)} on {hosts.Count} hosts in {waves}, {plan.FailuresAllowed} failures allowed");
        return new CampaignState(plan, created.RequestedBy, created.At, CampaignStates.Running, 0, hosts, 0, null, null, null, null, [note], 0);
    }

    public static CampaignState Apply(CampaignState state, ICampaignEvent e) => e switch
    {
        CampaignCreated => throw new InvalidOperationException($"campaign {state.Plan.Id} was created twice"),
        WaveStarted w => Note(state with { CurrentWave = w.Number }, w.At,
            $"{state.Plan.Waves[w.Number - 1].Name} started ({state.Plan.Waves[w.Number - 1].Hosts.Count} hosts)"),
        StepStarted s => WithHost(state, s.HostId, h => h with
        {
            Outcome = HostOutcomes.Running, StepIndex = s.StepIndex, PendingKey = s.Key, SentAt = s.At, StartedAt = h.StartedAt ?? s.At, Detail = null,
        }),
        StepSucceeded s => WithHost(state, s.HostId, h => Succeeded(state.Plan, h, s)),
        StepFailed f => Note(WithHost(state, f.HostId, h => h with
        {
            Outcome = HostOutcomes.Failed, StepIndex = f.StepIndex, PendingKey = null, SentAt = null, Detail = f.Detail, EndedAt = f.At,
        }) with { FailuresSeen = state.FailuresSeen + 1 }, f.At, $"{f.HostId} failed at {CampaignSteps.Name(state.Plan, f.StepIndex)}: {f.Detail}"),
        HostStopped s => WithHost(state, s.HostId, h => h with
        {
            Outcome = HostOutcomes.Failed, PendingKey = null, SentAt = null, Detail = s.Detail, EndedAt = s.At,
        }) with { FailuresSeen = state.FailuresSeen + 1 },
        HostsSkipped s => Note(Skip(state, s), s.At, $"{s.HostIds.Count} hosts skipped: {s.Reason}"),
        CampaignPaused p => Note(state with { State = CampaignStates.Paused }, p.At, "paused"),
        CampaignResumed r => Note(state with { State = CampaignStates.Running }, r.At, "resumed"),
        CampaignAborted a => Note(state with
        {
            State = CampaignStates.Aborted, Halted = state.Halted is null ? "aborted" : $"{state.Halted}; then aborted",
        }, a.At, "aborted"),
        CampaignHalted h => Note(state with { State = CampaignStates.Failed, Halted = h.Reason }, h.At, $"halted: {h.Reason}"),
        CampaignEnded x => Note(state with { State = x.State, EndedAt = x.At }, x.At, $"ended {x.State}: {Tally(state)}"),
        FollowUpStarted f => Note(state with { FollowUp = f.CampaignId }, f.At, $"rollback campaign {f.CampaignId} started for the failed hosts"),
        CampaignRecovered r => Note(state with { ResumedAt = r.At }, r.At,
            r.StepsInFlight == 0 ? "the coordinator restarted" : $"the coordinator restarted; {r.StepsInFlight} unanswered steps sent again under their keys"),
        _ => throw new ArgumentException($"unknown campaign event {e.GetType().Name}", nameof(e)),
    };

    public static CampaignState ApplyAll(CampaignState state, IEnumerable<ICampaignEvent> events) => events.Aggregate(state, Apply);

    /// <summary>Replays a whole journal (which starts with <see cref="CampaignCreated"/>).</summary>
    public static CampaignState Replay(IReadOnlyList<ICampaignEvent> journal) =>
        ApplyAll(Create((CampaignCreated)journal[0]), journal.Skip(1));

    /// <summary>The host's position in <see cref="CampaignState.Hosts"/>, or -1 when it is not in the campaign.</summary>
    public static int IndexOf(CampaignPlan plan, string hostId)
    {
        var index = HostIndexes.GetValue(plan, p =>
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string host in p.Waves.SelectMany(w => w.Hosts)) map[host] = map.Count;
            return map;
        });
        return index.TryGetValue(hostId, out int i) ? i : -1;
    }

    public static string Tally(CampaignState state)
    {
        int succeeded = 0, failed = 0, skipped = 0;
        foreach (var h in state.Hosts)
        {
            if (h.Outcome == HostOutcomes.Succeeded) succeeded++;
            else if (h.Outcome == HostOutcomes.Failed) failed++;
            else if (h.Outcome == HostOutcomes.Skipped) skipped++;
        }
        return $"{succeeded} succeeded, {failed} failed, {skipped} skipped";
    }

    private static string Describe(CampaignPlan plan) =>
        plan.Spec.Kind == CampaignKinds.Snapshot ? string.Join(", ", plan.Volumes) : $"campaign {plan.Spec.Of} ({string.Join(", ", plan.Volumes)})";

    private static HostRun Succeeded(CampaignPlan plan, HostRun h, StepSucceeded s)
    {
        bool last = s.StepIndex == plan.Steps.Count - 1;
        return h with
        {
            Outcome = last ? HostOutcomes.Succeeded : HostOutcomes.Running,
            StepIndex = last ? s.StepIndex : s.StepIndex + 1,
            PendingKey = null,
            SentAt = null,
            SnapshotTaken = h.SnapshotTaken || plan.Steps[s.StepIndex].Kind == StepKinds.Snapshot,
            Detail = s.Detail,
            EndedAt = last ? s.At : null,
        };
    }

    private static CampaignState Skip(CampaignState state, HostsSkipped s)
    {
        var hosts = state.Hosts.ToArray();
        foreach (string id in s.HostIds)
        {
            int i = Index(state, id);
            hosts[i] = hosts[i] with { Outcome = HostOutcomes.Skipped, PendingKey = null, SentAt = null, Detail = s.Reason, EndedAt = s.At };
        }
        return state with { Hosts = hosts };
    }

    private static CampaignState WithHost(CampaignState state, string hostId, Func<HostRun, HostRun> change)
    {
        int i = Index(state, hostId);
        var hosts = state.Hosts.ToArray();
        hosts[i] = change(hosts[i]);
        return state with { Hosts = hosts };
    }

    private static int Index(CampaignState state, string hostId)
    {
        int i = IndexOf(state.Plan, hostId);
        return i >= 0 ? i : throw new ArgumentException($"campaign {state.Plan.Id} has no host {hostId}", nameof(hostId));
    }

    private static CampaignState Note(CampaignState state, DateTimeOffset at, string what)
    {
        var timeline = state.Timeline.Append(new TimelineNote(at, what)).ToList();
        int drop = Math.Max(0, timeline.Count - TimelineLimit);
        return state with { Timeline = drop == 0 ? timeline : timeline.Skip(drop).ToList(), TimelineDropped = state.TimelineDropped + drop };
    }
}
