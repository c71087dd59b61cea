using Akka.Actor;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

// Between the coordinator and its campaign actors, on one node: never persisted, never remote.

/// <summary>A new campaign: its actor journals the plan, then answers <see cref="ReplyTo"/> with <see cref="CampaignAccepted"/>.</summary>
public sealed record CampaignCreation(CampaignPlan Plan, string RequestedBy, IActorRef ReplyTo);

/// <summary>Coordinator → campaign: what a rollback or commit of it would act on; replies <see cref="CampaignTargets"/>.</summary>
public sealed record GetCampaignTargets
{
    public static readonly GetCampaignTargets Instance = new();
}

/// <summary>Campaign → coordinator, after every journaled batch: the live summary for ListCampaigns.</summary>
public sealed record CampaignProgress(CampaignIndexEntry Entry);

/// <summary>
/// Campaign → coordinator when it has ended (and again whenever an ended campaign's actor
/// starts, until the coordinator acknowledges): the final summary, and the failed hosts an
/// automatic rollback covers (empty when none is due).
/// </summary>
public sealed record CampaignFinished(CampaignIndexEntry Entry, CampaignSpec Spec, CampaignTargets Targets, IReadOnlyList<string> AutoRollback);

/// <summary>Coordinator → campaign: the index has closed it; <see cref="FollowUp"/> is the automatic rollback started for it, if any.</summary>
public sealed record CampaignClosedAck(string? FollowUp);

/// <summary>Campaign → coordinator: the journal has no plan for this id (the coordinator stopped between taking the id and the campaign recording its plan).</summary>
public sealed record CampaignNeverCreated(string Id);

/// <summary>Campaign → coordinator, just before it stops because its journal failed.</summary>
public sealed record CampaignStopped(string Id, string Reason);

/// <summary>Campaign → coordinator: an ended campaign had no message for a while and may be stopped.</summary>
public sealed record CampaignIdle(string Id);

/// <summary>The campaign actor's clock tick: timeouts, resends, the maintenance window.</summary>
public sealed record CampaignTick
{
    public static readonly CampaignTick Instance = new();
}
