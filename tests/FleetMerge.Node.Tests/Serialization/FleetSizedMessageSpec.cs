using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Serialization;
using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Serialization;

/// <summary>
/// The coordinator's answers grow with the fleet and cross nodes whenever the API asks through a
/// node that is not the coordinator's. Two remoting ActorSystems on the node's real hocon/base.conf
/// and wire serializer: a host list of 10,000 hosts (what one node may simulate) arrives whole.
/// With Akka's default frame of 128000 bytes it was dropped as an oversized payload (the fleet
/// benchmark found it: `host list` and `campaign status` of 1,000 hosts timed out on other nodes).
/// </summary>
public sealed class FleetSizedMessageSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(NodeSetup(), "receiver", output)
{
    private const int Hosts = 10_000;

    private static ActorSystemSetup NodeSetup()
    {
        var config = ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                """)
            .WithFallback(NodeAkka.LoadHocon(Path.Combine(NodeAkka.HoconDirectory, "base.conf")));
        return BootstrapSetup.Create().WithConfig(config).And(SerializationSetup.Create(system => ImmutableHashSet.Create(
            SerializerDetails.Create(JsonWireSerializer.Alias, new JsonWireSerializer(system, WireManifests.Registry), ImmutableHashSet.Create(typeof(IWireMessage))))));
    }

    private static HostList Fleet()
    {
        var at = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        return new HostList([.. Enumerable.Range(1, Hosts).Select(i => new HostView(
            $"sim-{i:D5}", "akka.tcp://fleetmerge@127.0.0.1:4101",
            new Dictionary<string, string> { ["env"] = "sim", ["rack"] = $"r{i % 3}", ["node"] = "node1" },
            "reachable", "idle", 1, true, 1L << 30,
            [new LvRow("root", "vg0", "owi-a-s---", 64 << 10, null, null, null, Guid.NewGuid().ToString(), 0)], at))]);
    }

    [Fact]
    public async Task A_host_list_of_ten_thousand_hosts_crosses_to_another_node()
    {
        var list = Fleet();
        int bytes = Sys.Serialization.FindSerializerFor(list).ToBinary(list).Length;
        // The message really is beyond Akka's default frame, and within the node's.
        Assert.True(bytes > 128_000, $"{bytes} bytes");
        Assert.True(bytes < Sys.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"), $"{bytes} bytes");

        var sender = ActorSystem.Create("sender", NodeSetup());
        try
        {
            var receiverAddress = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
            sender.ActorSelection(TestActor.Path.ToStringWithAddress(receiverAddress)).Tell(list);
            var received = await ExpectMsgAsync<HostList>(TimeSpan.FromSeconds(60));
            Assert.Equal(Hosts, received.Hosts.Count);
            Assert.Equal(list.Hosts[^1].HostId, received.Hosts[^1].HostId);
        }
        finally
        {
            await sender.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
