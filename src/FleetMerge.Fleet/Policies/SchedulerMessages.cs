using Akka.Actor;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

// The policy scheduler's messages to itself (timers and piped answers). Never persisted.

internal sealed record SchedulerTick
{
    public static readonly SchedulerTick Instance = new();
}

/// <summary>The coordinator accepted a run's campaign; <see cref="ReplyTo"/> is the asker of a run-now.</summary>
internal sealed record RunAccepted(string Name, DueRun Run, CampaignAccepted Accepted, IActorRef? ReplyTo);

internal sealed record RunNotStarted(string Name, DueRun Run, Exception Cause, IActorRef? ReplyTo);

/// <summary>The state of a run's campaign, or why it is unknown.</summary>
internal sealed record CampaignChecked(string Name, string CampaignId, string? State, Exception? Failure);

/// <summary>What pruning after a run needs: the policy's hosts and the campaigns still open.</summary>
internal sealed record PruneInputs(string Name, string CampaignId, string? CampaignState, HostList Hosts, CampaignList Campaigns);

internal sealed record PruneNotPossible(string Name, string CampaignId, Exception Cause);
