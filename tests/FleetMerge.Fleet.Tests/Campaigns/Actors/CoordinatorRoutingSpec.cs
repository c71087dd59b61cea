using Akka.Actor;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>What the coordinator forwards to its registry and policy scheduler, keeping the asker as Sender.</summary>
public sealed class CoordinatorRoutingSpec(ITestOutputHelper output) : CampaignSpecBase(output)
{
    [Fact]
    public void Host_reports_queries_and_registry_requests_go_to_the_registry_and_policy_commands_to_the_scheduler()
    {
        var registry = CreateTestProbe();
        var scheduler = CreateTestProbe();
        StartCoordinator(new CoordinatorSettings(_ => registry.Ref, _ => scheduler.Ref));

        var report = new HostReport("sim-0001", "akka.tcp://fleet@127.0.0.1:4101", new Dictionary<string, string>(), [], 0, 1, true, DateTimeOffset.UtcNow);
        foreach (object message in new object[] { report, new ListHosts("env=prod"), new ResolveHosts("all") })
        {
            CoordinatorRef.Tell(message, TestActor);
            registry.ExpectMsg(message);
            Assert.Equal(TestActor, registry.LastSender);
        }

        CoordinatorRef.Tell(ListPolicies.Instance, TestActor);
        scheduler.ExpectMsg(ListPolicies.Instance);
        scheduler.Reply(new PolicyList([]));
        Assert.Empty(ExpectMsg<PolicyList>().Policies);
    }

    [Fact]
    public void Without_a_policy_scheduler_policy_commands_fail_with_a_clear_line()
    {
        var registry = CreateTestProbe();
        StartCoordinator(new CoordinatorSettings(_ => registry.Ref));
        CoordinatorRef.Tell(new GetPolicy("nightly"), TestActor);
        var failure = ExpectMsg<Status.Failure>();
        var e = Assert.IsType<FleetRequestException>(failure.Cause);
        Assert.Equal("policies are not available: this coordinator runs without a policy scheduler", e.Message);
    }
}
