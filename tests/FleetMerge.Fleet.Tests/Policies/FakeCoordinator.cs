using Akka.Actor;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Policies;

/// <summary>Test → fake coordinator: how a campaign stands now.</summary>
public sealed record SetCampaignState(string Id, string State);

/// <summary>Test → fake coordinator: refuse the next StartCampaign with this error.</summary>
public sealed record RefuseNextStart(FleetRequestException Error);

/// <summary>
/// Stands in for F1's coordinator: accepts StartCampaign as c1, c2, … (a copy goes to
/// <paramref name="observer"/>), answers GetCampaign and ListCampaigns from the states the test sets
/// (running until told otherwise).
/// </summary>
public sealed class FakeCoordinator : ReceiveActor
{
    private readonly Dictionary<string, (CampaignSpec Spec, string State)> campaigns = new();
    private FleetRequestException? refuseNext;

    public FakeCoordinator(IActorRef observer)
    {
        Receive<StartCampaign>(m =>
        {
            observer.Tell(m);
            if (refuseNext is { } error)
            {
                refuseNext = null;
                Sender.Tell(new Status.Failure(error));
                return;
            }
            string id = $"c{campaigns.Count + 1}";
            campaigns[id] = (m.Spec, CampaignStates.Running);
            Sender.Tell(new CampaignAccepted(id, 2));
        });
        Receive<RefuseNextStart>(m => refuseNext = m.Error);
        Receive<SetCampaignState>(m => campaigns[m.Id] = (campaigns[m.Id].Spec, m.State));
        Receive<GetCampaign>(m =>
        {
            if (!campaigns.TryGetValue(m.Id, out var c))
            {
                Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.NotFound, $"campaign '{m.Id}' not found")));
                return;
            }
            Sender.Tell(new CampaignView(m.Id, c.Spec, c.State, DateTimeOffset.UnixEpoch, null, 0, [], [], 0, 0, null, null, null, []));
        });
        Receive<ListCampaigns>(_ => Sender.Tell(new CampaignList([.. campaigns.Select(c => new CampaignSummary(
            c.Key, c.Value.Spec.Kind, c.Value.State, c.Value.Spec.Hosts, 2, 0, 0, 0, DateTimeOffset.UnixEpoch, null, c.Value.Spec.Policy, null))])));
    }

    public static Props Props(IActorRef observer) => Akka.Actor.Props.Create(() => new FakeCoordinator(observer));
}

/// <summary>Stands in for the host registry: answers ListHosts with fixed hosts, passes DeliverStep to <paramref name="observer"/> and answers each step ok.</summary>
public sealed class FakeRegistry : ReceiveActor
{
    public FakeRegistry(IReadOnlyList<HostView> hosts, IActorRef observer)
    {
        Receive<ListHosts>(_ => Sender.Tell(new HostList(hosts)));
        Receive<DeliverStep>(m =>
        {
            observer.Tell(m);
            Sender.Tell(new HostStepResult(m.Step.Key, m.Step.HostId, true, $"removed {m.Step.Snapshots.Count} snapshots", false, DateTimeOffset.UnixEpoch));
        });
    }

    public static Props Props(IReadOnlyList<HostView> hosts, IActorRef observer) => Akka.Actor.Props.Create(() => new FakeRegistry(hosts, observer));
}
