using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Hosts;

/// <summary>
/// Two real cluster nodes in one process: the registry on the first, a host on the second. The
/// second node stops without leaving the cluster, so the failure detector, not a test message, makes
/// its host unreachable; downing it by hand then removes it and its host has left.
/// </summary>
public sealed class HostRegistryClusterSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output)
{
    private const string Config = """
        akka.loglevel = INFO
        akka.stdout-loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s }
        akka.cluster.downing-provider-class = ""
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.coordinated-shutdown.terminate-actor-system = off
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cluster_events_make_a_crashed_nodes_host_unreachable_then_left()
    {
        var first = Cluster.Get(Sys);
        await first.JoinAsync(first.SelfAddress);
        // Heartbeats every 10 minutes: silence can never be what makes the host unreachable here.
        var registry = Sys.ActorOf(HostRegistryActor.Props(new HostRegistrySettings(TimeSpan.FromMinutes(10), 3)), "registry");

        var second = ActorSystem.Create(Sys.Name, ConfigurationFactory.ParseString(Config));
        try
        {
            var secondCluster = Cluster.Get(second);
            await secondCluster.JoinAsync(first.SelfAddress);
            await AwaitAssertAsync(() => Assert.Equal(2, first.State.Members.Count(m => m.Status == MemberStatus.Up)), Timeout);

            // The host runs on the second node. Its agent stands in on the first one, so that only
            // cluster events (not death watch on the agent) can tell the registry about the node.
            var agent = CreateTestProbe();
            string node = secondCluster.SelfAddress.ToString();
            registry.Tell(new HostReport("far-1", node, new Dictionary<string, string>(), [], 1L << 30, 1, true, DateTimeOffset.UtcNow), agent.Ref);
            agent.ExpectMsg<HostRegistered>(Timeout);
            Assert.Equal(Reachability.Reachable, (await registry.Ask<HostView>(new GetHost("far-1"), Timeout)).Reachability);

            await second.Terminate(); // without leaving: the first node only sees it go quiet
            await AwaitAssertAsync(async () =>
                Assert.Equal(Reachability.Unreachable, (await registry.Ask<HostView>(new GetHost("far-1"), Timeout)).Reachability), Timeout);

            first.Down(secondCluster.SelfAddress);
            await AwaitAssertAsync(async () =>
                Assert.Equal(Reachability.Left, (await registry.Ask<HostView>(new GetHost("far-1"), Timeout)).Reachability), Timeout);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
