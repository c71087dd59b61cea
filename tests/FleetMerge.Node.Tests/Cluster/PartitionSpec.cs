using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;
using FleetMerge.Fleet;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// A network partition in the middle of a campaign, with the real coordinator singleton
/// (Coordinator.SupervisedProps, the real host registry) on three ActorSystems built from the
/// node's hocon/base.conf (keep-majority, the "fast" timings, down-removal-margin) and the node's
/// serializers (journal and wire), and one campaign journal in the test PostgreSQL. Members A and B have role coordinator, C none; A is
/// the oldest and runs the singleton; six fake hosts live on B and C. Akka.Remote's throttler
/// (transport adapter "trttl") blackholes every link between A and the other two. The minority A
/// must down itself and stop its coordinator before B starts one, and the campaign must end on B
/// with every host succeeded and every step key run exactly once.
/// </summary>
[Collection(ClusterTestCollection.Name)]
public sealed class PartitionSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StepTime = TimeSpan.FromMilliseconds(400);
    private const string Role = "coordinator";

    private readonly List<ActorSystem> members = [];
    private readonly PostgresSchema journal = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CoordinatorLifetimes lifetimes;
    private readonly MembershipTimeline membership;
    private readonly FakeHostLog hosts = new();
    private readonly ITestOutputHelper log;

    public PartitionSpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", "probe", output)
    {
        log = output;
        lifetimes = new CoordinatorLifetimes(() => clock.Elapsed);
        membership = new MembershipTimeline(() => clock.Elapsed);
    }

    private TimeSpan Elapsed => clock.Elapsed;

    private ActorSystem Member(string name, bool coordinator)
    {
        var config = ConfigurationFactory.ParseString($$"""
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp {
                  hostname = "127.0.0.1"
                  port = 0
                  # The throttler adapter: blackholes links on request (ManagementCommand SetThrottle).
                  applied-adapters = [trttl]
                }
                akka.cluster.roles = [{{(coordinator ? Role : "")}}]
                # Dispose terminates the survivors: no leave, no hand-over, no waiting for them.
                akka.coordinated-shutdown.run-by-actor-system-terminate = off
                """)
            .WithFallback(AkkaTestConfig.Sql(journal.ConnectionString, "PostgreSQL.15", "postgres.conf"))
            .WithFallback(NodeAkka.LoadHocon(Path.Combine(NodeAkka.HoconDirectory, "base.conf")))
            .WithFallback(ClusterSingleton.DefaultConfig());
        var system = ActorSystem.Create(NodeAkka.SystemName, NodeSerializers.Setup(config));
        members.Add(system);
        if (coordinator)
        {
            var settings = new CoordinatorSettings(
                Registry: context =>
                {
                    lifetimes.Starting(context, name);
                    return context.ActorOf(HostRegistryActor.Props(new HostRegistrySettings(FakeFleetHost.ReportEvery, 3)), "hosts");
                })
            {
                // Resend unanswered steps soon after a failover (the new registry needs one round of reports).
                Campaigns = CampaignSettings.Default with { Tuning = CampaignTuning.Default with { ResendInterval = TimeSpan.FromSeconds(1) } },
            };
            system.ActorOf(ClusterSingletonManager.Props(Coordinator.SupervisedProps(settings), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(Role)), NodeActors.CoordinatorName);
        }
        return system;
    }

    private static IActorRef Proxy(ActorSystem system) =>
        system.ActorOf(ClusterSingletonProxy.Props($"/user/{NodeActors.CoordinatorName}", ClusterSingletonProxySettings.Create(system).WithRole(Role)), "coordinator-proxy");

    private static Address AddressOf(ActorSystem system) => AkkaCluster.Get(system).SelfAddress;

    private async Task JoinAsync(ActorSystem system, ActorSystem seed)
    {
        AkkaCluster.Get(system).Join(AddressOf(seed));
        await AwaitAssertAsync(() => Assert.Equal(MemberStatus.Up, AkkaCluster.Get(system).SelfMember.Status), Generous);
    }

    /// <summary>Drops everything between <paramref name="from"/> and <paramref name="to"/>, both ways, at <paramref name="from"/>'s transport.</summary>
    private static async Task BlackholeAsync(ActorSystem from, ActorSystem to)
    {
        var provider = (IRemoteActorRefProvider)((ExtendedActorSystem)from).Provider;
        bool done = await provider.Transport.ManagementCommand(
            new SetThrottle(AddressOf(to), ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
        Assert.True(done, $"the throttler of {AddressOf(from)} did not take the blackhole to {AddressOf(to)}");
    }

    private static CampaignSpec Spec() => new(
        CampaignKinds.Snapshot, "env=fake", ["vg0/root"], "20%", 4096, null, Upgrade: true, Health: true, Canary: 0, WaveSize: "100%",
        MaxInFlight: 2, FailureBudget: "0", AutoRollback: false, StepTimeout: TimeSpan.FromMinutes(5), Window: null, Policy: null);

    [Fact]
    public async Task The_cut_off_coordinator_downs_itself_before_the_majority_starts_one_and_the_campaign_runs_each_step_once()
    {
        // A is the oldest coordinator member: it forms the cluster, B and C join one after the other.
        var a = Member("A", coordinator: true);
        var b = Member("B", coordinator: true);
        var c = Member("C", coordinator: false);
        await JoinAsync(a, a);
        await JoinAsync(b, a);
        await JoinAsync(c, a);
        foreach (var system in new[] { a, b, c })
            await AwaitAssertAsync(() => Assert.Equal(3, AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up)), Generous);
        membership.Watch(a, "A");
        membership.Watch(b, "B");
        membership.Watch(c, "C");

        var proxies = new[] { a, b, c }.Select(Proxy).ToArray();
        string[] ids = [.. Enumerable.Range(1, 6).Select(i => $"fake-{i:0000}")];
        for (int i = 0; i < ids.Length; i++)
        {
            var (system, proxy) = i < 3 ? (b, proxies[1]) : (c, proxies[2]);
            system.ActorOf(FakeFleetHost.Props(ids[i], proxy, hosts, () => Elapsed, StepTime), $"fleet-host-{ids[i]}");
        }
        var askC = proxies[2];
        await AwaitAssertAsync(async () =>
        {
            var list = await askC.Ask<HostList>(new ListHosts("env=fake"), TimeSpan.FromSeconds(5));
            Assert.Equal(ids, list.Hosts.Where(h => h.Reachability == "reachable").Select(h => h.HostId));
        }, Generous, TimeSpan.FromMilliseconds(500));
        Assert.Single(lifetimes.Lives);
        Assert.Equal("A", lifetimes.Lives[0].Node);

        var accepted = await askC.Ask<CampaignAccepted>(new StartCampaign(Spec(), "partition-spec"), TimeSpan.FromSeconds(30));
        Assert.Equal(6, accepted.Hosts);
        // Cut when some hosts have succeeded and others are still to run.
        CampaignView? before = null;
        await AwaitAssertAsync(async () =>
        {
            before = await askC.Ask<CampaignView>(new GetCampaign(accepted.Id), TimeSpan.FromSeconds(5));
            Assert.InRange(before.Hosts.Count(h => h.Outcome == HostOutcomes.Succeeded), 1, 3);
        }, Generous, TimeSpan.FromMilliseconds(100));
        Assert.Equal(CampaignStates.Running, before!.State);

        var cut = Elapsed;
        await BlackholeAsync(a, b);
        await BlackholeAsync(a, c);
        await BlackholeAsync(b, a);
        await BlackholeAsync(c, a);
        log.WriteLine($"{cut.TotalSeconds:0.000} s: A cut off from B and C; campaign {accepted.Id}: " +
                      string.Join(", ", before.Hosts.Select(h => $"{h.HostId} {h.Outcome}")));

        // The minority downs itself: its cluster shuts down and its ActorSystem with it.
        await a.WhenTerminated.WaitAsync(Generous);
        var aGone = Elapsed;
        log.WriteLine($"{aGone.TotalSeconds:0.000} s: A's ActorSystem terminated ({(aGone - cut).TotalSeconds:0.0} s after the cut)");

        CampaignView? after = null;
        await AwaitAssertAsync(async () =>
        {
            after = await askC.Ask<CampaignView>(new GetCampaign(accepted.Id), TimeSpan.FromSeconds(5));
            Assert.Equal(CampaignStates.Completed, after.State);
        }, TimeSpan.FromSeconds(180), TimeSpan.FromMilliseconds(500));
        log.WriteLine($"{Elapsed.TotalSeconds:0.000} s: campaign {accepted.Id} completed, asked through C");

        var lives = lifetimes.Lives;
        foreach (string line in membership.Lines) log.WriteLine(line);
        foreach (var life in lives) log.WriteLine($"coordinator {life}");
        // A's coordinator stopped (the minority downed itself), then B's started: never two at once.
        Assert.Empty(CoordinatorLifetimes.Overlaps(lives));
        var first = Assert.Single(lives, l => l.Node == "A");
        Assert.NotNull(first.Stopped);
        var successor = Assert.Single(lives, l => l.Node == "B");
        Assert.True(successor.Started > first.Stopped, $"B's coordinator started at {successor}, before A's stopped ({first})");
        Assert.Null(successor.Stopped);
        log.WriteLine($"A's coordinator stopped {(first.Stopped!.Value - cut).TotalSeconds:0.0} s after the cut; " +
                      $"B's started {(successor.Started - first.Stopped.Value).TotalSeconds:0.0} s after that");

        // Every host succeeded, each step key ran exactly once on its host.
        Assert.All(after!.Hosts, h => Assert.Equal(HostOutcomes.Succeeded, h.Outcome));
        Assert.Equal(ids, after.Hosts.Select(h => h.HostId).Order(StringComparer.Ordinal));
        var executions = hosts.Executions;
        Assert.Equal(ids.Length * 4, executions.Count);
        Assert.All(executions, e => Assert.True(e.Value == 1, $"step {e.Key} ran {e.Value} times"));
        Assert.All(ids, id => Assert.Equal(4, executions.Keys.Count(k => k.Split('/')[1] == id)));
        // Nothing from A reached a host once B's coordinator ran.
        string aAddress = AddressOf(a).ToString();
        Assert.DoesNotContain(hosts.Deliveries, d => d.From == aAddress && d.At > successor.Started);
        int resent = hosts.Deliveries.GroupBy(d => d.Key).Count(g => g.Count() > 1);
        log.WriteLine($"{executions.Count} step keys, each run once; {hosts.Deliveries.Count} deliveries " +
                      $"({hosts.Deliveries.Count(d => d.From == aAddress)} from A, {hosts.Deliveries.Count(d => d.From != aAddress)} from B); " +
                      $"{resent} keys delivered more than once, still run once");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var system in members)
                system.Terminate().Wait(TimeSpan.FromSeconds(20));
            journal.Dispose();
        }
        base.Dispose(disposing);
    }
}
