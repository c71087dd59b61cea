using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using FleetMerge.Node.Actors;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// Three ActorSystems in this process form a cluster with the node's real hocon/base.conf (split-brain
/// resolver keep-majority, the "fast" failure detector and removal margin). A member "crashes":
/// its system terminates without leaving (coordinated shutdown off for terminate), as a SIGKILL
/// looks to the others apart from the closed sockets. The majority downs and removes it and the
/// singleton moves; a lone survivor of three downs itself, which keep-oldest would not do.
/// </summary>
[Collection(ClusterTestCollection.Name)]
public sealed class KeepMajoritySpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly List<ActorSystem> members = [];
    private readonly ITestOutputHelper log;

    public KeepMajoritySpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", "probe", output) => log = output;

    /// <summary>Answers with the address of the member it runs on.</summary>
    private sealed class WhereAmI : ReceiveActor
    {
        public sealed record Ask;

        public WhereAmI() => Receive<Ask>(_ => Sender.Tell(AkkaCluster.Get(Context.System).SelfAddress));
    }

    private ActorSystem Member()
    {
        var config = ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.cluster.roles = [coordinator]
                # Terminate is a crash here: no leave, no hand-over.
                akka.coordinated-shutdown.run-by-actor-system-terminate = off
                """)
            .WithFallback(NodeAkka.LoadHocon(Path.Combine(NodeAkka.HoconDirectory, "base.conf")))
            .WithFallback(ClusterSingleton.DefaultConfig());
        var system = ActorSystem.Create(NodeAkka.SystemName, config);
        members.Add(system);
        system.ActorOf(ClusterSingletonManager.Props(Props.Create(() => new WhereAmI()), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole("coordinator")), "coordinator");
        return system;
    }

    private static IActorRef Proxy(ActorSystem system) =>
        system.ActorOf(ClusterSingletonProxy.Props("/user/coordinator", ClusterSingletonProxySettings.Create(system).WithRole("coordinator")));

    private static Address AddressOf(ActorSystem system) => AkkaCluster.Get(system).SelfAddress;

    /// <summary>Three members, oldest first; returns when each sees all three Up.</summary>
    private async Task<(ActorSystem A, ActorSystem B, ActorSystem C)> FormAsync()
    {
        var a = Member();
        var b = Member();
        var c = Member();
        AkkaCluster.Get(a).Join(AddressOf(a));
        await AwaitAssertAsync(() => Assert.Equal(MemberStatus.Up, AkkaCluster.Get(a).SelfMember.Status), Generous);
        // One after the other: members made Up together share an up-number, and then the address decides who is older.
        AkkaCluster.Get(b).Join(AddressOf(a));
        await AwaitAssertAsync(() => Assert.Equal(MemberStatus.Up, AkkaCluster.Get(b).SelfMember.Status), Generous);
        AkkaCluster.Get(c).Join(AddressOf(a));
        foreach (var system in new[] { a, b, c })
            await AwaitAssertAsync(() => AssertUpMembers(system, a, b, c), Generous);
        return (a, b, c);
    }

    private static void AssertUpMembers(ActorSystem viewer, params ActorSystem[] expected)
    {
        var state = AkkaCluster.Get(viewer).State;
        Assert.Equal(expected.Select(AddressOf).OrderBy(x => x.Port), state.Members.Select(m => m.Address).OrderBy(x => x.Port));
        Assert.All(state.Members, m => Assert.Equal(MemberStatus.Up, m.Status));
        Assert.Empty(state.Unreachable);
    }

    [Fact]
    public async Task The_majority_downs_a_crashed_member_and_the_singleton_moves_to_the_next_oldest()
    {
        var (a, b, c) = await FormAsync();
        var proxy = Proxy(c);
        await AwaitAssertAsync(async () => Assert.Equal(AddressOf(a), await proxy.Ask<Address>(new WhereAmI.Ask(), TimeSpan.FromSeconds(2))), Generous);

        var clock = Stopwatch.StartNew();
        await a.Terminate();
        await AwaitAssertAsync(() =>
        {
            AssertUpMembers(b, b, c);
            AssertUpMembers(c, b, c);
        }, Generous, TimeSpan.FromMilliseconds(200));
        log.WriteLine($"crashed member removed by the survivors after {clock.Elapsed.TotalSeconds:0.0} s");
        await AwaitAssertAsync(async () => Assert.Equal(AddressOf(b), await proxy.Ask<Address>(new WhereAmI.Ask(), TimeSpan.FromSeconds(1))),
            Generous, TimeSpan.FromMilliseconds(200));
        log.WriteLine($"singleton answering from the next-oldest member after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_lone_survivor_of_three_downs_itself()
    {
        var (a, b, c) = await FormAsync();
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        AkkaCluster.Get(a).RegisterOnMemberRemoved(() => removed.TrySetResult());

        // The oldest member is left alone: keep-oldest would keep it, keep-majority must not.
        await Task.WhenAll(b.Terminate(), c.Terminate());
        await removed.Task.WaitAsync(Generous);
        await a.WhenTerminated.WaitAsync(Generous);
        Assert.True(a.WhenTerminated.IsCompletedSuccessfully);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var system in members)
                system.Terminate().Wait(TimeSpan.FromSeconds(20));
        base.Dispose(disposing);
    }
}
