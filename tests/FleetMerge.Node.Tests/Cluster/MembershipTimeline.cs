using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// What each member of an in-process cluster saw of the others, on one clock: unreachable, down,
/// removed. Printed with a partition's outcome, it shows where the time between the cut and the
/// next coordinator went (failure detection on each side, the resolver, the removal margin).
/// </summary>
public sealed class MembershipTimeline(Func<TimeSpan> clock)
{
    private readonly ConcurrentQueue<(TimeSpan At, string What)> seen = new();
    private readonly ConcurrentDictionary<Address, string> names = new();

    public IReadOnlyList<string> Lines => [.. seen.OrderBy(s => s.At).Select(s => $"{s.At.TotalSeconds:0.000} s: {s.What}")];

    public void Watch(ActorSystem system, string name)
    {
        names[AkkaCluster.Get(system).SelfAddress] = name;
        system.ActorOf(Props.Create(() => new Listener(this, name)), "membership-timeline");
    }

    private void Saw(string viewer, string what, Address member) =>
        seen.Enqueue((clock(), $"{viewer} sees {names.GetValueOrDefault(member, member.ToString())} {what}"));

    private sealed class Listener : ReceiveActor
    {
        public Listener(MembershipTimeline timeline, string name)
        {
            Receive<ClusterEvent.UnreachableMember>(e => timeline.Saw(name, "unreachable", e.Member.Address));
            Receive<ClusterEvent.MemberDowned>(e => timeline.Saw(name, "down", e.Member.Address));
            Receive<ClusterEvent.MemberRemoved>(e => timeline.Saw(name, "removed", e.Member.Address));
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() =>
            AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
                typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));
    }
}
