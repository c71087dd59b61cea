using FleetMerge.Node.Api;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>GET /cluster's view and the membership commands' decisions, as pure functions of the cluster's facts.</summary>
public sealed class ClusterRulesTests
{
    private const string A = "akka.tcp://fleetmerge@127.0.0.1:4101";
    private const string B = "akka.tcp://fleetmerge@127.0.0.1:4102";
    private const string C = "akka.tcp://fleetmerge@127.0.0.1:4103";

    private static readonly string[] All = ["api", "coordinator", "host"];
    private static readonly string[] HostApi = ["api", "host"];

    /// <summary>Three members oldest first (C, a host-only node, is the oldest), seen from B; A is unreachable.</summary>
    private static ClusterFacts Facts(string aStatus = "up", bool aUnreachable = true, string self = B) => new(
        self,
        All,
        Leader: B,
        Members: [new MemberFact(C, "up", HostApi), new MemberFact(A, aStatus, All), new MemberFact(B, "up", All)],
        Unreachable: aUnreachable ? new HashSet<string> { A } : new HashSet<string>(),
        SeedNodes: [A, B]);

    private static int Status(Action action) => Assert.Throws<ApiException>(action).Status;

    [Fact]
    public void The_view_lists_members_oldest_first_with_reachability_and_the_singleton_on_the_oldest_coordinator()
    {
        var view = ClusterView.Of(Facts());
        Assert.Equal(B, view.SelfAddress);
        Assert.Equal("up", view.SelfStatus);
        Assert.Equal([C, A, B], view.Members.Select(m => m.Address));
        Assert.Equal([1, 2, 3], view.Members.Select(m => m.AgeRank));
        Assert.Equal(["reachable", "unreachable", "reachable"], view.Members.Select(m => m.Reachability));
        Assert.Equal([false, false, true], view.Members.Select(m => m.IsSelf));
        Assert.Equal([false, false, true], view.Members.Select(m => m.IsLeader));
        Assert.Equal([A], view.Unreachable);
        // C is older but has no coordinator role: the singleton runs on A, unreachable or not, until A is downed.
        Assert.Equal(A, view.SingletonNode);
        Assert.Equal(B, ClusterView.SingletonNode(Facts(aStatus: "down")));
        Assert.Equal(A, ClusterView.SingletonNode(Facts(aStatus: "leaving")));
        Assert.Equal(B, ClusterView.SingletonNode(Facts(aStatus: "joining")));
    }

    [Fact]
    public void No_coordinator_up_means_no_singleton_node_and_a_node_outside_any_cluster_is_removed()
    {
        var facts = new ClusterFacts(C, HostApi, null, [new MemberFact(C, "up", HostApi)], new HashSet<string>(), []);
        Assert.Null(ClusterView.Of(facts).SingletonNode);
        var alone = new ClusterFacts(C, HostApi, null, [], new HashSet<string>(), [A]);
        Assert.Equal("removed", ClusterView.Of(alone).SelfStatus);
        Assert.False(alone.SelfIsMember);
    }

    [Fact]
    public void Leave_takes_a_member_in_either_form_and_refuses_bad_unknown_and_downed_ones()
    {
        var leave = ClusterRules.Leave(Facts(), "127.0.0.1:4103");
        Assert.Equal("leave", leave.Action);
        Assert.Equal([C], leave.Nodes);
        Assert.Null(leave.Note);
        Assert.Contains("this node leaves the cluster", ClusterRules.Leave(Facts(), B).Note);
        Assert.Equal($"{A} is already leaving", ClusterRules.Leave(Facts(aStatus: "leaving"), A).Note);

        Assert.Equal(400, Status(() => ClusterRules.Leave(Facts(), "no-port")));
        Assert.Equal(400, Status(() => ClusterRules.Leave(Facts(), null)));
        Assert.Equal(404, Status(() => ClusterRules.Leave(Facts(), "127.0.0.1:4999")));
        Assert.Equal(409, Status(() => ClusterRules.Leave(Facts(aStatus: "down"), A)));
        Assert.Equal($"{A} is down: the leader removes it, there is nothing to leave",
            Assert.Throws<ApiException>(() => ClusterRules.Leave(Facts(aStatus: "down"), A)).Message);
    }

    [Fact]
    public void Down_unreachable_downs_exactly_the_unreachable_members_not_yet_down()
    {
        Assert.Equal([A], ClusterRules.DownUnreachable(Facts()).Nodes);
        var none = ClusterRules.DownUnreachable(Facts(aUnreachable: false));
        Assert.Empty(none.Nodes);
        Assert.Equal("no member is unreachable from this node", none.Note);
        Assert.Empty(ClusterRules.DownUnreachable(Facts(aStatus: "down")).Nodes);
    }

    [Fact]
    public void Join_is_for_a_node_in_no_cluster_and_a_no_op_for_a_seed_of_its_own_cluster()
    {
        var outside = new ClusterFacts(C, HostApi, null, [], new HashSet<string>(), [A]);
        Assert.Equal([A], ClusterRules.Join(outside, "127.0.0.1:4101").Nodes);
        Assert.Equal("this node forms a new one-node cluster", ClusterRules.Join(outside, C).Note);

        var member = ClusterRules.Join(Facts(), A);
        Assert.Empty(member.Nodes);
        Assert.Equal($"{A} is already a member of this node's cluster", member.Note);

        var refused = Assert.Throws<ApiException>(() => ClusterRules.Join(Facts(), "10.0.0.9:4101"));
        Assert.Equal(409, refused.Status);
        Assert.Equal("this node is already a member of a cluster (3 members, leader " + B + "); a member cannot move to another cluster: "
            + "restart it with --seed-nodes akka.tcp://fleetmerge@10.0.0.9:4101", refused.Message);
        Assert.Equal(400, Status(() => ClusterRules.Join(Facts(), "akka.tcp://other@10.0.0.9:4101")));
    }

    [Theory]
    [InlineData(Akka.Cluster.MemberStatus.Up, "up")]
    [InlineData(Akka.Cluster.MemberStatus.WeaklyUp, "weakly_up")]
    [InlineData(Akka.Cluster.MemberStatus.Joining, "joining")]
    [InlineData(Akka.Cluster.MemberStatus.Removed, "removed")]
    public void Member_statuses_are_snake_case(Akka.Cluster.MemberStatus status, string name) =>
        Assert.Equal(name, ClusterEndpoints.StatusName(status));
}
