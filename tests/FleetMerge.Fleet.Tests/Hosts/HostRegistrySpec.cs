using Akka.Actor;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Hosts;

public sealed class HostRegistrySpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = DEBUG", output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const string Node = "akka.tcp://fleet@10.0.0.1:4053";

    private readonly FakeClock clock = new(HostRegistryStateTests.T0);

    private IActorRef Registry(TimeSpan? heartbeat = null) =>
        Sys.ActorOf(HostRegistryActor.Props(new HostRegistrySettings(heartbeat ?? TimeSpan.FromMinutes(10), 3), clock.Func));

    private static HostReport Report(string host, long incarnation, IReadOnlyDictionary<string, string>? labels = null) =>
        HostRegistryStateTests.Report(host, incarnation, Node, labels: labels);

    private static HostStep Step(string host, string key = "c1/h/0-snapshot/1") =>
        new(key, "c1", host, StepKinds.Snapshot, ["vg0/root"], "c1", "10%", 65536, null, [], TimeSpan.FromMinutes(5));

    private static Task<HostView> ViewAsync(IActorRef registry, string host) => registry.Ask<HostView>(new GetHost(host), Timeout);

    [Fact]
    public async Task A_new_incarnation_is_answered_with_HostRegistered_and_a_heartbeat_is_not()
    {
        var registry = Registry();
        var agent = CreateTestProbe();

        registry.Tell(Report("web-1", 1), agent.Ref);
        Assert.Equal(new HostRegistered("web-1", 1), agent.ExpectMsg<HostRegistered>(Timeout));

        clock.Advance(TimeSpan.FromSeconds(5));
        registry.Tell(Report("web-1", 1), agent.Ref);
        Assert.Equal(HostRegistryStateTests.T0.AddSeconds(5), (await ViewAsync(registry, "web-1")).LastReport);

        registry.Tell(Report("web-1", 0), agent.Ref); // stale: a late report from before a restart
        registry.Tell(Report("web-1", 2), agent.Ref);
        Assert.Equal(new HostRegistered("web-1", 2), agent.ExpectMsg<HostRegistered>(Timeout)); // the first reply since incarnation 1's
        Assert.Equal(2, (await ViewAsync(registry, "web-1")).Incarnation);
    }

    [Fact]
    public async Task Lists_gets_and_resolves_hosts()
    {
        var registry = Registry();
        var prod = new Dictionary<string, string> { ["env"] = "prod" };
        foreach (string h in new[] { "web-2", "web-1", "db-1" }) registry.Tell(Report(h, 1, h.StartsWith("web") ? prod : null), CreateTestProbe().Ref);

        var all = await registry.Ask<HostList>(new ListHosts(null), Timeout);
        Assert.Equal(["db-1", "web-1", "web-2"], all.Hosts.Select(h => h.HostId));
        var web = await registry.Ask<HostList>(new ListHosts("env=prod"), Timeout);
        Assert.Equal(["web-1", "web-2"], web.Hosts.Select(h => h.HostId));
        Assert.Equal(["db-1"], (await registry.Ask<ResolvedHosts>(new ResolveHosts("env!=prod"), Timeout)).HostIds);
        Assert.Equal("db-1", (await ViewAsync(registry, "db-1")).HostId);
    }

    [Fact]
    public async Task Bad_selectors_and_unknown_hosts_are_refused()
    {
        var registry = Registry();
        var bad = await Assert.ThrowsAsync<FleetRequestException>(() => registry.Ask<HostList>(new ListHosts("env"), Timeout));
        Assert.Equal(FleetRequestException.BadRequest, bad.Kind);
        var bad2 = await Assert.ThrowsAsync<FleetRequestException>(() => registry.Ask<ResolvedHosts>(new ResolveHosts("env=pr*"), Timeout));
        Assert.Equal(FleetRequestException.BadRequest, bad2.Kind);
        var missing = await Assert.ThrowsAsync<FleetRequestException>(() => registry.Ask<HostView>(new GetHost("ghost"), Timeout));
        Assert.Equal(FleetRequestException.NotFound, missing.Kind);
        Assert.Equal("host 'ghost' is not registered", missing.Message);
    }

    [Fact]
    public async Task A_delivered_step_reaches_the_current_agent_with_the_campaign_as_sender()
    {
        var registry = Registry();
        var oldAgent = CreateTestProbe();
        var agent = CreateTestProbe();
        var campaign = CreateTestProbe();
        registry.Tell(Report("web-1", 1), oldAgent.Ref);
        registry.Tell(Report("web-1", 2), agent.Ref); // rebooted: steps go to the new agent
        agent.ExpectMsg<HostRegistered>(Timeout);

        registry.Tell(new DeliverStep(Step("web-1")), campaign.Ref);
        var step = agent.ExpectMsg<HostStep>(Timeout);
        Assert.Equal("c1/h/0-snapshot/1", step.Key);
        agent.Reply(new HostStepResult(step.Key, "web-1", true, "snapshot taken", false, clock.Now));
        Assert.True(campaign.ExpectMsg<HostStepResult>(Timeout).Ok);

        oldAgent.ExpectMsg<HostRegistered>(Timeout);
        oldAgent.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Steps_for_unknown_or_unreachable_hosts_are_dropped_until_the_node_is_back()
    {
        var registry = Registry();
        var agent = CreateTestProbe();
        var campaign = CreateTestProbe();
        registry.Tell(Report("web-1", 1), agent.Ref);
        agent.ExpectMsg<HostRegistered>(Timeout);

        registry.Tell(new DeliverStep(Step("ghost")), campaign.Ref);
        registry.Tell(new NodeUnreachable(Node));
        Assert.Equal(Reachability.Unreachable, (await ViewAsync(registry, "web-1")).Reachability);
        registry.Tell(new DeliverStep(Step("web-1", "k-dropped")), campaign.Ref);

        registry.Tell(new NodeReachable(Node));
        Assert.Equal(Reachability.Reachable, (await ViewAsync(registry, "web-1")).Reachability);
        registry.Tell(new DeliverStep(Step("web-1", "k-delivered")), campaign.Ref);
        Assert.Equal("k-delivered", agent.ExpectMsg<HostStep>(Timeout).Key); // the dropped one never came
        campaign.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_removed_node_or_a_leaving_host_is_left_and_gets_no_steps()
    {
        var registry = Registry();
        var agent = CreateTestProbe();
        registry.Tell(Report("web-1", 1), agent.Ref);
        registry.Tell(HostRegistryStateTests.Report("other", 1, "akka.tcp://fleet@10.0.0.9:4053"), agent.Ref);
        registry.Tell(new NodeRemoved(Node));
        Assert.Equal(Reachability.Left, (await ViewAsync(registry, "web-1")).Reachability);
        Assert.Equal(Reachability.Reachable, (await ViewAsync(registry, "other")).Reachability);

        registry.Tell(new HostLeaving("other", 1));
        Assert.Equal(Reachability.Left, (await ViewAsync(registry, "other")).Reachability);
        registry.Tell(new DeliverStep(Step("web-1")));
        registry.Tell(new DeliverStep(Step("other")));
        agent.ExpectMsg<HostRegistered>(Timeout);
        agent.ExpectMsg<HostRegistered>(Timeout);
        agent.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_stopped_agent_leaves_its_host()
    {
        var registry = Registry();
        var agent = CreateTestProbe();
        registry.Tell(Report("web-1", 1), agent.Ref);
        agent.ExpectMsg<HostRegistered>(Timeout);
        Sys.Stop(agent.Ref);
        await AwaitAssertAsync(async () => Assert.Equal(Reachability.Left, (await ViewAsync(registry, "web-1")).Reachability), Timeout);
    }

    [Fact]
    public async Task A_host_that_stops_reporting_is_unreachable_until_it_reports_again()
    {
        var registry = Registry(heartbeat: TimeSpan.FromMilliseconds(50)); // silence = 150 ms of the fake clock
        var agent = CreateTestProbe();
        var campaign = CreateTestProbe();
        registry.Tell(Report("web-1", 1), agent.Ref);
        agent.ExpectMsg<HostRegistered>(Timeout);
        Assert.Equal(Reachability.Reachable, (await ViewAsync(registry, "web-1")).Reachability);

        clock.Advance(TimeSpan.FromSeconds(1));
        await AwaitAssertAsync(async () => Assert.Equal(Reachability.Unreachable, (await ViewAsync(registry, "web-1")).Reachability), Timeout);
        registry.Tell(new DeliverStep(Step("web-1", "k-dropped")), campaign.Ref);

        registry.Tell(Report("web-1", 1), agent.Ref);
        Assert.Equal(Reachability.Reachable, (await ViewAsync(registry, "web-1")).Reachability);
        registry.Tell(new DeliverStep(Step("web-1", "k-delivered")), campaign.Ref);
        Assert.Equal("k-delivered", agent.ExpectMsg<HostStep>(Timeout).Key);
    }
}
