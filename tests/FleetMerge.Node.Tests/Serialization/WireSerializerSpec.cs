using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Serialization;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Serialization;

/// <summary>
/// Messages between nodes go through the wire serializer: every IWireMessage type has a manifest,
/// and values built the way the actors build them (collection expressions, dictionaries, optional
/// fields) read back equal. Akka's default Newtonsoft serializer could not rebuild them.
/// </summary>
public sealed class WireSerializerSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(WireSetup(), "wire-serializer-spec", output)
{
    private static ActorSystemSetup WireSetup() =>
        // A remoting system, as the nodes are: Status.Failure then goes through Akka.Remote's own serializer.
        AkkaTestConfig.Setup(Akka.Configuration.ConfigurationFactory.ParseString(
            "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = \"127.0.0.1\", port = 0 }").WithFallback(AkkaTestConfig.TestJournal())).And(SerializationSetup.Create(system => ImmutableHashSet.Create(
            SerializerDetails.Create(JsonWireSerializer.Alias, new JsonWireSerializer(system), ImmutableHashSet.Create(typeof(IWireMessage))))));

    [Fact]
    public void Every_wire_message_type_has_a_manifest()
    {
        var missing = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Where(t => !WireManifests.Registry.TryGetManifest(t, out _))
            .Select(t => t.Name).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Messages_round_trip_through_akka_serialization()
    {
        var at = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        var row = new LvRow("root", "vg0", "owi-a-s---", 4 << 20, null, null, null, "uuid-1", 0);
        var spec = new CampaignSpec("snapshot", "env=prod,rack=r1|r2", ["vg0/root"], "20%", 4096, null, true, true, 2, "25%", 5, "10%", true,
            TimeSpan.FromMinutes(10), new MaintenanceWindowSpec(new TimeOnly(1, 0), new TimeOnly(5, 30), "Europe/Berlin"), null);
        object[] messages =
        [
            new HostReport("sim-0001", "akka.tcp://fleetmerge@127.0.0.1:4101", new Dictionary<string, string> { ["Env"] = "prod", ["rack"] = "r1" },
                [row], 1L << 30, 3, true, at),
            new HostStep("c1/sim-0001/0-preflight/1", "c1", "sim-0001", StepKinds.Preflight, ["vg0/root"], "c1", "20%", 4096, null, [], TimeSpan.FromMinutes(5)),
            new HostStepResult("c1/sim-0001/0-preflight/1", "sim-0001", false, "no room", true, at),
            new StartCampaign(spec, "api 127.0.0.1"),
            ListCampaigns.Instance,
            new CampaignView("c1", spec, CampaignStates.Running, at, null, 1, [new WaveView(1, "canary", ["sim-0001"], "running")],
                [new HostProgress("sim-0001", 1, HostOutcomes.Running, "preflight", 0, 4, null, at, null)], 3, 0, null, null, null,
                [new TimelineEntry(at, "started")]),
            new HostList([new HostView("sim-0001", "akka.tcp://fleetmerge@127.0.0.1:4101", new Dictionary<string, string> { ["env"] = "prod" },
                "reachable", "idle", 1, true, 10, [row], at)]),
            new PolicyView(new PolicySpec("nightly", "0 3 * * *", "Europe/Berlin", "all", ["vg0/root"], "20%", 4096, 3, TimeSpan.FromDays(7)),
                at, at.AddDays(1), null, [new PolicyRun(at, at, "c2", "completed", 1, false)]),
        ];
        foreach (object original in messages)
        {
            var serializer = Sys.Serialization.FindSerializerFor(original);
            Assert.IsType<JsonWireSerializer>(serializer);
            byte[] bytes = serializer.ToBinary(original);
            object back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, original));
            // Records with collections compare by reference; their JSON says whether they are the same.
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(original, original.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
            Assert.Equal(original.GetType(), back.GetType());
        }
    }

    [Fact]
    public void A_refusal_keeps_its_kind_across_nodes()
    {
        var failure = new Status.Failure(new FleetRequestException(FleetRequestException.Conflict, "campaign c1 is running: nothing to resume"));
        var serializer = Sys.Serialization.FindSerializerFor(failure);
        byte[] bytes = serializer.ToBinary(failure);
        var back = (Status.Failure)Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, failure));
        var refusal = Assert.IsType<FleetRequestException>(back.Cause);
        Assert.Equal(FleetRequestException.Conflict, refusal.Kind);
        Assert.Equal("campaign c1 is running: nothing to resume", refusal.Message);
    }
}
