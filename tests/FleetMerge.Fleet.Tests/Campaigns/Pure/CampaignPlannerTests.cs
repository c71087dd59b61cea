using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class CampaignPlannerTests
{
    private static readonly CampaignTargets C1 = new("c1", CampaignKinds.Snapshot, CampaignStates.Failed, true, "c1", ["vg0/root", "vg1/data"],
        ["sim-0001", "sim-0002", "sim-0004"], ["sim-0004"]);

    [Fact]
    public void Snapshot_campaigns_run_preflight_snapshot_then_the_hooks_asked_for()
    {
        Assert.Equal(["preflight", "snapshot"], CampaignPlanner.StepsFor(Snapshot()).Select(s => s.ToString()));
        Assert.Equal(["preflight", "snapshot", "hook upgrade", "hook health"],
            CampaignPlanner.StepsFor(Snapshot(upgrade: true, health: true)).Select(s => s.ToString()));
        Assert.Equal(["preflight", "snapshot", "hook health"], CampaignPlanner.StepsFor(Snapshot(health: true)).Select(s => s.ToString()));
    }

    [Fact]
    public void Rollback_merges_reboots_waits_and_checks_health_and_commit_removes_the_snapshot()
    {
        Assert.Equal(["mark-merge", "reboot", "await-merge", "hook health"], CampaignPlanner.StepsFor(Rollback("c1")).Select(s => s.ToString()));
        Assert.Equal(["remove-snapshot"], CampaignPlanner.StepsFor(Commit("c1")).Select(s => s.ToString()));
    }

    [Fact]
    public void A_snapshot_campaign_is_tagged_with_its_own_id_and_sends_its_size_and_chunk()
    {
        var plan = Plan(Snapshot(upgrade: true), hosts: 3, id: "c7");
        Assert.Equal(("c7", 0), (plan.Tag, plan.FailuresAllowed));
        var step = CampaignSteps.For(plan, "sim-0003", 2, CampaignSteps.Key(plan, "sim-0003", 2));
        Assert.Equal("c7/sim-0003/2-hook/1", step.Key);
        Assert.Equal((StepKinds.Hook, HookNames.Upgrade, "c7", "sim-0003", "c7"), (step.Kind, step.Hook, step.CampaignId, step.HostId, step.SnapshotTag));
        var snapshot = CampaignSteps.For(plan, "sim-0001", 1, "k");
        Assert.Equal(("20%", 65536, TimeSpan.FromMinutes(5)), (snapshot.Size, snapshot.ChunkBytes, snapshot.Timeout));
        Assert.Equal(["vg0/root"], snapshot.Volumes);
    }

    [Fact]
    public void A_rollback_takes_the_hosts_with_a_snapshot_and_the_volumes_and_tag_of_its_campaign()
    {
        var plan = CampaignPlanner.Plan("c9", Rollback("c1"), null, [], C1);
        Assert.Equal("c1", plan.Tag);
        Assert.Equal(["vg0/root", "vg1/data"], plan.Volumes);
        Assert.Equal(["sim-0001", "sim-0002", "sim-0004"], plan.Waves.SelectMany(w => w.Hosts));
        var step = CampaignSteps.For(plan, "sim-0002", 0, "k");
        Assert.Equal((StepKinds.MarkMerge, "c1", (string?)null, 0), (step.Kind, step.SnapshotTag, step.Size, step.ChunkBytes));

        var some = CampaignPlanner.Plan("c9", Rollback("c1", hosts: "host=sim-0002|sim-0003"), ["sim-0002", "sim-0003"], [], C1);
        Assert.Equal(["sim-0002"], some.Waves.SelectMany(w => w.Hosts));
    }

    [Fact]
    public void An_empty_host_set_is_a_bad_request()
    {
        var e = Assert.Throws<FleetRequestException>(() => CampaignPlanner.Plan("c2", Snapshot(hosts: "env=prod"), [], [], null));
        Assert.Equal((FleetRequestException.BadRequest, "hosts 'env=prod': the selector matches no host"), (e.Kind, e.Message));
        e = Assert.Throws<FleetRequestException>(() => CampaignPlanner.Plan("c2", Commit("c1", hosts: "rack=r9"), ["sim-0003"], [], C1));
        Assert.Equal("hosts 'rack=r9': the selector matches no host of campaign c1 that has its snapshot", e.Message);
        e = Assert.Throws<FleetRequestException>(() => CampaignPlanner.Plan("c2", Commit("c1"), null, [], C1 with { HostsWithSnapshot = [] }));
        Assert.Equal("of c1: no host of campaign c1 has its snapshot", e.Message);
    }
}
