using System.Text.Json;
using Akka.Actor;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Node.Actors;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// What the coordinator and the hosts send each other between nodes goes through Akka's default
/// serializer (Newtonsoft.Json) configured by the node's hocon/base.conf. The values are built by
/// the real registry, planner and projection code, whose lists are C# collection expressions: each
/// message must come back equal (compared as JSON) from its bytes, as the receiving node reads it.
/// </summary>
public sealed class FleetMessagesOnTheWireTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly ActorSystem system = ActorSystem.Create("wire", NodeAkka.LoadHocon(Path.Combine(NodeAkka.HoconDirectory, "base.conf"))
        .WithFallback("akka.loglevel = WARNING"));

    private static HostReport Report(string hostId) => new(
        hostId, "akka.tcp://fleetmerge@127.0.0.1:4102", new Dictionary<string, string> { ["env"] = "sim", ["rack"] = "r1" },
        [new LvRow("root", "vg0", "owi-a-s---", 4 << 20, null, null, null, "uuid-1", 0)], 1L << 30, 3, true, T0);

    private static CampaignPlan Plan() => CampaignPlanner.Plan("c1",
        new CampaignSpec(CampaignKinds.Snapshot, "env=sim", ["vg0/root"], "1M", 4096, null, true, true, 1, "50%", 2, "0", false,
            TimeSpan.FromMinutes(10), null, null),
        ["sim-0001", "sim-0002", "sim-0003"], ["sim-0001"], null);

    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = system.Serialization.FindSerializerFor(message);
        byte[] bytes = serializer.ToBinary(message);
        // Remote delivery: the serializer id and an empty manifest (the JSON names the type).
        var back = system.Serialization.Deserialize(bytes, serializer.Identifier, "");
        Assert.IsType<T>(back);
        Assert.Equal(JsonSerializer.Serialize(message), JsonSerializer.Serialize((T)back));
        return (T)back;
    }

    [Fact]
    public void Host_lists_and_views_from_the_registry_come_back_whole()
    {
        var state = HostRegistryState.Empty;
        foreach (string id in new[] { "sim-0001", "sim-0002" }) state = state.Apply(Report(id), T0).State;
        var list = RoundTrip(new HostList(state.List(HostSelector.Parse("env=sim"))));
        Assert.Equal(["sim-0001", "sim-0002"], list.Hosts.Select(h => h.HostId));
        Assert.Equal("root", RoundTrip(state.View("sim-0001")!).Volumes.Single().Name);
        RoundTrip(Report("sim-0003"));
    }

    [Fact]
    public void Campaign_views_steps_and_answers_come_back_whole()
    {
        var plan = Plan();
        var campaign = CampaignEvolution.Create(CampaignDecisions.Create(plan, "test", T0));
        var view = RoundTrip(CampaignProjection.View(campaign, T0));
        Assert.Equal(3, view.Hosts.Count);
        Assert.Equal(2, view.Waves.Count);
        RoundTrip(new CampaignList([CampaignProjection.Summary(CampaignProjection.Entry(campaign, 1))]));
        var step = RoundTrip(CampaignSteps.For(plan, "sim-0002", 1, CampaignSteps.Key(plan, "sim-0002", 1)));
        Assert.Equal(["vg0/root"], step.Volumes);
        RoundTrip(new HostStepResult(step.Key, "sim-0002", true, "vg0/root-c1 taken", false, T0));
    }

    public void Dispose() => system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
