using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

// THE list of what the coordinator persists: a campaign's journal ("campaign-<id>"), its Akka
// snapshot state, and the campaign index ("campaigns"). Every type here is a plain record
// (System.Text.Json with snake_case names: no dictionaries, no polymorphic fields, no IActorRef).
// The manifests the node registers are in CampaignManifests at the end of this file.

/// <summary>A campaign's journal event.</summary>
public interface ICampaignEvent : IPersistedEvent;

/// <summary>An event of the coordinator's campaign index.</summary>
public interface ICampaignIndexEvent : IPersistedEvent;

// ---------------------------------------------------------------- the plan (inside CampaignCreated and CampaignState)

/// <summary>One step every host of the campaign runs, in order.</summary>
/// <param name="Kind">One of <see cref="StepKinds"/>.</param>
/// <param name="Hook">The hook's name for <see cref="StepKinds.Hook"/> steps.</param>
public sealed record PlannedStep(string Kind, string? Hook)
{
    public override string ToString() => Hook is null ? Kind : $"{Kind} {Hook}";
}

/// <param name="Number">1, 2, …; the canary wave, if any, is number 1.</param>
public sealed record WavePlan(int Number, string Name, IReadOnlyList<string> Hosts);

/// <summary>Everything fixed when the campaign starts: what each host runs and in which wave.</summary>
/// <param name="Tag">The snapshot name suffix: the snapshot campaign's id (for rollback and commit: the Of campaign's).</param>
/// <param name="Volumes">The origins ("VG/LV"): the spec's, or for rollback and commit the Of campaign's.</param>
/// <param name="FailuresAllowed">The failure budget in hosts; one more failure halts the campaign.</param>
public sealed record CampaignPlan(
    string Id,
    CampaignSpec Spec,
    string Tag,
    IReadOnlyList<string> Volumes,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<WavePlan> Waves,
    int FailuresAllowed);

// ---------------------------------------------------------------- campaign events

public sealed record CampaignCreated(CampaignPlan Plan, string RequestedBy, DateTimeOffset At) : ICampaignEvent;

public sealed record WaveStarted(int Number, DateTimeOffset At) : ICampaignEvent;

/// <summary>A step was sent to a host under <paramref name="Key"/> (resends use the same key and are not journaled).</summary>
public sealed record StepStarted(string HostId, int StepIndex, string Key, DateTimeOffset At) : ICampaignEvent;

/// <summary>The host answered ok for its pending key; after the last step the host has succeeded.</summary>
public sealed record StepSucceeded(string HostId, int StepIndex, string Key, string Detail, DateTimeOffset At) : ICampaignEvent;

/// <summary>The host answered failed, or did not answer in time: the host has failed.</summary>
public sealed record StepFailed(string HostId, int StepIndex, string Key, string Detail, DateTimeOffset At) : ICampaignEvent;

/// <summary>An abort stopped a host between two of its steps: the host has failed with <paramref name="Detail"/>.</summary>
public sealed record HostStopped(string HostId, string Detail, DateTimeOffset At) : ICampaignEvent;

/// <summary>Hosts that never started: the campaign was aborted or halted before their turn.</summary>
public sealed record HostsSkipped(IReadOnlyList<string> HostIds, string Reason, DateTimeOffset At) : ICampaignEvent;

public sealed record CampaignPaused(DateTimeOffset At) : ICampaignEvent;

public sealed record CampaignResumed(DateTimeOffset At) : ICampaignEvent;

public sealed record CampaignAborted(DateTimeOffset At) : ICampaignEvent;

/// <summary>The failure budget is spent: no new host starts; hosts in flight finish.</summary>
public sealed record CampaignHalted(string Reason, DateTimeOffset At) : ICampaignEvent;

/// <summary>No host is running any more: <paramref name="State"/> is completed, failed or aborted.</summary>
public sealed record CampaignEnded(string State, DateTimeOffset At) : ICampaignEvent;

/// <summary>The coordinator started <paramref name="CampaignId"/> (the automatic rollback) for this campaign's failed hosts.</summary>
public sealed record FollowUpStarted(string CampaignId, DateTimeOffset At) : ICampaignEvent;

/// <summary>The campaign actor started again (coordinator restart or failover) with <paramref name="StepsInFlight"/> unanswered steps, which it resends.</summary>
public sealed record CampaignRecovered(int StepsInFlight, DateTimeOffset At) : ICampaignEvent;

// ---------------------------------------------------------------- campaign state (the Akka snapshot)

/// <summary>One host of a campaign.</summary>
/// <param name="Outcome">One of <see cref="HostOutcomes"/>.</param>
/// <param name="StepIndex">The step it runs or waits to run next (running), or ended on (succeeded: the last one).</param>
/// <param name="PendingKey">The key of the step sent and not answered yet; null between steps and once ended.</param>
/// <param name="SentAt">When the pending step was first sent (its timeout counts from there, or from the campaign's recovery).</param>
/// <param name="SnapshotTaken">Its snapshot step succeeded (so a rollback or commit of this campaign covers it).</param>
public sealed record HostRun(
    string HostId,
    int Wave,
    string Outcome,
    int StepIndex,
    string? PendingKey,
    DateTimeOffset? SentAt,
    bool SnapshotTaken,
    string? Detail,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt);

public sealed record TimelineNote(DateTimeOffset At, string What);

/// <summary>A campaign as its journal tells it; <see cref="Hosts"/> are in plan order (by wave, then host id).</summary>
/// <param name="State">One of <see cref="CampaignStates"/>.</param>
/// <param name="CurrentWave">The wave hosts are started from (0 before the first).</param>
/// <param name="ResumedAt">The last recovery: unanswered steps get their full timeout again from there.</param>
/// <param name="TimelineDropped">Timeline notes dropped from the front to keep the state small.</param>
public sealed record CampaignState(
    CampaignPlan Plan,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    string State,
    int CurrentWave,
    IReadOnlyList<HostRun> Hosts,
    int FailuresSeen,
    string? Halted,
    string? FollowUp,
    DateTimeOffset? EndedAt,
    DateTimeOffset? ResumedAt,
    IReadOnlyList<TimelineNote> Timeline,
    int TimelineDropped) : IPersistedSnapshot;

// ---------------------------------------------------------------- the campaign index (persistence id "campaigns")

/// <summary>One campaign in the index: a live summary while it runs (kept in memory), the final one once ended (journaled).</summary>
/// <param name="Number">The n of its id "cn".</param>
public sealed record CampaignIndexEntry(
    string Id,
    int Number,
    string Kind,
    string State,
    string Hosts,
    int HostCount,
    int Succeeded,
    int Failed,
    int Running,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    string? Policy,
    string? Of,
    string? FollowUp,
    string? RequestKey = null);

/// <summary>A campaign id was taken and its actor is about to record the plan.</summary>
public sealed record CampaignOpened(CampaignIndexEntry Entry, string RequestedBy) : ICampaignIndexEvent;

/// <summary>The campaign ended (or was never recorded): its final summary and the follow-up started for it, if any.</summary>
public sealed record CampaignClosed(CampaignIndexEntry Entry) : ICampaignIndexEvent;

public sealed record CampaignIndexState(int LastNumber, IReadOnlyList<CampaignIndexEntry> Campaigns) : IPersistedSnapshot;

/// <summary>The manifests the node's serializer registers for the types in this file (lowercase, dotted, versioned).</summary>
public static class CampaignManifests
{
    public static readonly IReadOnlyList<(Type Type, string Manifest)> All =
    [
        (typeof(CampaignCreated), "campaign.created.v1"),
        (typeof(WaveStarted), "campaign.wave-started.v1"),
        (typeof(StepStarted), "campaign.step-started.v1"),
        (typeof(StepSucceeded), "campaign.step-succeeded.v1"),
        (typeof(StepFailed), "campaign.step-failed.v1"),
        (typeof(HostStopped), "campaign.host-stopped.v1"),
        (typeof(HostsSkipped), "campaign.hosts-skipped.v1"),
        (typeof(CampaignPaused), "campaign.paused.v1"),
        (typeof(CampaignResumed), "campaign.resumed.v1"),
        (typeof(CampaignAborted), "campaign.aborted.v1"),
        (typeof(CampaignHalted), "campaign.halted.v1"),
        (typeof(CampaignEnded), "campaign.ended.v1"),
        (typeof(FollowUpStarted), "campaign.follow-up-started.v1"),
        (typeof(CampaignRecovered), "campaign.recovered.v1"),
        (typeof(CampaignState), "campaign.state.v1"),
        (typeof(CampaignOpened), "campaigns.opened.v1"),
        (typeof(CampaignClosed), "campaigns.closed.v1"),
        (typeof(CampaignIndexState), "campaigns.state.v1"),
    ];
}
