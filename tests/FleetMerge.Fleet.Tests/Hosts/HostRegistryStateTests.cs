using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Fleet.Tests.Hosts;

public sealed class HostRegistryStateTests
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string NodeA = "akka.tcp://fleet@10.0.0.1:4053";
    private const string NodeB = "akka.tcp://fleet@10.0.0.2:4053";

    public static HostReport Report(string host, long incarnation, string node = NodeA, IReadOnlyList<LvRow>? volumes = null,
        IReadOnlyDictionary<string, string>? labels = null) =>
        new(host, node, labels ?? new Dictionary<string, string>(), volumes ?? [], 1L << 30, incarnation, false, T0);

    private static HostRegistryState With(params HostReport[] reports)
    {
        var state = HostRegistryState.Empty;
        foreach (var r in reports) state = state.Apply(r, T0).State;
        return state;
    }

    [Fact]
    public void The_first_report_registers_the_host()
    {
        var (state, outcome) = HostRegistryState.Empty.Apply(Report("web-1", 1), T0);
        Assert.Equal(ReportOutcome.Registered, outcome);
        var view = state.View("web-1")!;
        Assert.Equal(Reachability.Reachable, view.Reachability);
        Assert.Equal(HostStates.Idle, view.State);
        Assert.Equal(1, view.Incarnation);
        Assert.Equal(NodeA, view.Node);
        Assert.Equal(T0, view.LastReport);
    }

    [Fact]
    public void The_same_incarnation_updates_and_a_newer_one_replaces()
    {
        var state = With(Report("web-1", 1));
        var merging = HostStatesTests.Row("root", "Owi-aos---", merge: 10);
        var (updated, o1) = state.Apply(Report("web-1", 1, volumes: [merging]), T0.AddSeconds(5));
        Assert.Equal(ReportOutcome.Updated, o1);
        Assert.Equal(HostStates.Merging, updated.View("web-1")!.State);
        Assert.Equal(T0.AddSeconds(5), updated.View("web-1")!.LastReport);

        var (rebooted, o2) = updated.Apply(Report("web-1", 2, NodeB), T0.AddSeconds(9));
        Assert.Equal(ReportOutcome.Registered, o2);
        Assert.Equal(2, rebooted.View("web-1")!.Incarnation);
        Assert.Equal(NodeB, rebooted.View("web-1")!.Node);
        Assert.Equal(HostStates.Idle, rebooted.View("web-1")!.State);
    }

    [Fact]
    public void A_report_of_an_older_incarnation_is_ignored()
    {
        var state = With(Report("web-1", 5));
        var (after, outcome) = state.Apply(Report("web-1", 4, NodeB), T0.AddMinutes(1));
        Assert.Equal(ReportOutcome.Stale, outcome);
        Assert.Same(state, after);
        Assert.Equal(NodeA, after.View("web-1")!.Node);
    }

    [Fact]
    public void Leaving_is_for_one_incarnation_and_only_a_newer_one_comes_back()
    {
        var state = With(Report("web-1", 3)).Leave("web-1", 2); // an older incarnation leaving: nothing
        Assert.Equal(Reachability.Reachable, state.View("web-1")!.Reachability);

        state = state.Leave("web-1", 3);
        Assert.Equal(Reachability.Left, state.View("web-1")!.Reachability);
        Assert.Equal(ReportOutcome.Stale, state.Apply(Report("web-1", 3), T0).Outcome);

        var (back, outcome) = state.Apply(Report("web-1", 4), T0.AddMinutes(1));
        Assert.Equal(ReportOutcome.Registered, outcome);
        Assert.Equal(Reachability.Reachable, back.View("web-1")!.Reachability);
    }

    [Fact]
    public void An_unreachable_node_makes_its_hosts_unreachable_until_it_is_reachable_again()
    {
        var state = With(Report("a-1", 1, NodeA), Report("a-2", 1, NodeA), Report("b-1", 1, NodeB)).NodeUnreachable(NodeA);
        Assert.Equal(Reachability.Unreachable, state.View("a-1")!.Reachability);
        Assert.Equal(Reachability.Unreachable, state.View("a-2")!.Reachability);
        Assert.Equal(Reachability.Reachable, state.View("b-1")!.Reachability);
        Assert.False(state.IsReachable("a-1"));

        // Reports still arrive on a flaky link: they update the host, the node stays unreachable.
        state = state.Apply(Report("a-1", 1, NodeA), T0.AddSeconds(5)).State;
        Assert.Equal(Reachability.Unreachable, state.View("a-1")!.Reachability);

        state = state.NodeReachable(NodeA);
        Assert.True(state.IsReachable("a-1"));
        Assert.True(state.IsReachable("a-2"));
    }

    [Fact]
    public void A_removed_node_leaves_with_its_hosts()
    {
        var state = With(Report("a-1", 1, NodeA), Report("b-1", 1, NodeB)).NodeUnreachable(NodeA).NodeRemoved(NodeA);
        Assert.Equal(Reachability.Left, state.View("a-1")!.Reachability);
        Assert.Equal(Reachability.Reachable, state.View("b-1")!.Reachability);
        Assert.DoesNotContain(NodeA, state.UnreachableNodes);

        // The node restarts at the same address: its agent reports a new incarnation.
        state = state.Apply(Report("a-1", 2, NodeA), T0.AddMinutes(2)).State;
        Assert.Equal(Reachability.Reachable, state.View("a-1")!.Reachability);
    }

    [Fact]
    public void A_host_that_misses_three_heartbeats_is_unreachable_until_it_reports()
    {
        var silence = 3 * HostReport.HeartbeatInterval;
        var state = HostRegistryState.Empty.Apply(Report("quiet", 1), T0).State.Apply(Report("chatty", 1), T0).State;
        state = state.Apply(Report("chatty", 1), T0 + silence).State;

        var (same, none) = state.MarkSilent(T0 + silence, silence);
        Assert.Empty(none); // exactly three intervals is still on time
        Assert.True(same.IsReachable("quiet"));

        var (later, newly) = state.MarkSilent(T0 + silence + TimeSpan.FromSeconds(1), silence);
        Assert.Equal(["quiet"], newly);
        Assert.Equal(Reachability.Unreachable, later.View("quiet")!.Reachability);
        Assert.True(later.IsReachable("chatty"));
        Assert.DoesNotContain("quiet", later.MarkSilent(T0 + 2 * silence, silence).NewlySilent); // reported once

        var back = later.Apply(Report("quiet", 1), T0 + 2 * silence).State;
        Assert.True(back.IsReachable("quiet"));
    }

    [Fact]
    public void Left_hosts_do_not_go_silent()
    {
        var state = With(Report("gone", 1)).Leave("gone", 1);
        Assert.Empty(state.MarkSilent(T0.AddHours(1), TimeSpan.FromSeconds(15)).NewlySilent);
    }

    [Fact]
    public void Resolve_returns_matching_hosts_sorted_reachable_or_not()
    {
        var prod = new Dictionary<string, string> { ["env"] = "prod" };
        var state = With(
            Report("web-2", 1, NodeB, labels: prod), Report("db-1", 1, NodeA, labels: prod),
            Report("web-10", 1, NodeA), Report("web-1", 1, NodeA, labels: prod)).NodeUnreachable(NodeB);

        Assert.Equal(["db-1", "web-1", "web-10", "web-2"], state.Resolve(HostSelector.All));
        Assert.Equal(["db-1", "web-1", "web-2"], state.Resolve(HostSelector.Parse("env=prod")));
        Assert.Equal(["web-1", "web-2"], state.Resolve(HostSelector.Parse("env=prod,host=web-*")));
        Assert.Equal(["web-1", "web-2"], state.List(HostSelector.Parse("env=prod,host=web-*")).Select(v => v.HostId));
        Assert.Empty(state.Resolve(HostSelector.Parse("host=nope")));
    }

    [Fact]
    public void An_unknown_host_has_no_view() => Assert.Null(HostRegistryState.Empty.View("ghost"));
}
