using Akka.Actor;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet;

/// <summary>The hosts a new campaign's selector resolved to (and the campaign it acts on), back on the coordinator's thread.</summary>
internal sealed record CampaignResolved(StartCampaign Request, IActorRef ReplyTo, IReadOnlyList<string>? Selected, IReadOnlyList<string> LabelledCanary, CampaignTargets? Of);

internal sealed record CampaignStartFailed(IActorRef ReplyTo, Exception Error);

/// <summary>Start the actor of a campaign that stopped, again.</summary>
internal sealed record RestartCampaign(string Id);
