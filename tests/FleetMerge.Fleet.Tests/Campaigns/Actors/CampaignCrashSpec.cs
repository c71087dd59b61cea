using Akka.Actor;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>
/// Crashes mid-campaign: the coordinator (and its campaign actors) killed and a new one started
/// on the same journal, or a campaign actor stopped alone. The fake hosts count executions per
/// key: every step runs once, every host ends once, none is skipped.
/// </summary>
public sealed class CampaignCrashSpec(ITestOutputHelper output) : CampaignSpecBase(output)
{
    private static FakeAnswer LoseFirstDeliveries(HostStep step, int delivery) =>
        step.HostId is "sim-0006" or "sim-0017" && delivery == 1 ? FakeAnswer.Lost : FakeAnswer.Ok_;

    [Fact]
    public async Task A_coordinator_killed_twice_mid_campaign_resumes_and_every_step_runs_exactly_once()
    {
        StartFleet(20, LoseFirstDeliveries, delay: TimeSpan.FromMilliseconds(120));
        StartCoordinator();
        await StartAsync(Snapshot(waveSize: "10", maxInFlight: 5, upgrade: true));

        await WaitForExecutionsAsync(12);
        StopCoordinator(Kill.Instance);        // a crash: the actor fails and stops with its children
        int before = (await FleetLogAsync()).Executions.Count;
        StartCoordinator();
        await WaitForExecutionsAsync(before + 15);
        StopCoordinator(PoisonPill.Instance);  // a clean stop (a singleton hand-over)
        StartCoordinator();

        var view = await WaitForEndAsync("c1");
        Assert.Equal(CampaignStates.Completed, view.State);
        Assert.Equal(20, Outcomes(view, HostOutcomes.Succeeded).Count);
        Assert.Equal(2, view.Timeline.Count(t => t.What.StartsWith("the coordinator restarted", StringComparison.Ordinal)));
        await AssertEveryStepRanOnceAsync(20, steps: 3);
    }

    [Fact]
    public async Task A_campaign_actor_stopped_alone_is_started_again_by_the_coordinator()
    {
        StartFleet(8, LoseFirstDeliveries, delay: TimeSpan.FromMilliseconds(100));
        StartCoordinator();
        await StartAsync(Snapshot(maxInFlight: 3));
        await WaitForExecutionsAsync(4);

        var campaign = await Sys.ActorSelection($"{CoordinatorRef.Path}/campaign-c1-*").ResolveOne(Timeout);
        Watch(campaign);
        campaign.Tell(PoisonPill.Instance);
        ExpectTerminated(campaign, Timeout);

        var view = await WaitForEndAsync("c1");
        Assert.Equal((CampaignStates.Completed, 8), (view.State, Outcomes(view, HostOutcomes.Succeeded).Count));
        await AssertEveryStepRanOnceAsync(8, steps: 2);
    }

    [Fact]
    public async Task A_campaign_list_and_the_id_sequence_survive_a_restart()
    {
        StartFleet(3);
        StartCoordinator();
        await StartAsync(Snapshot());
        await WaitForEndAsync("c1");
        await StartAsync(Commit("c1"));
        await WaitForEndAsync("c2");
        StopCoordinator(PoisonPill.Instance);

        StartCoordinator();
        var list = await AskAsync<CampaignList>(ListCampaigns.Instance);
        Assert.Equal([("c1", CampaignStates.Completed, 3, 3), ("c2", CampaignStates.Completed, 3, 3)],
            list.Campaigns.Select(c => (c.Id, c.State, c.HostCount, c.Succeeded)));
        Assert.Equal("c3", (await StartAsync(Snapshot())).Id);
        // An ended campaign's actor is started again to answer, from its journal.
        Assert.Equal(CampaignKinds.Commit, (await ViewAsync("c2")).Spec.Kind);
    }

    [Fact]
    public async Task A_campaign_the_coordinator_never_recorded_is_closed_as_failed()
    {
        StartFleet(2);
        // As if the coordinator died after taking id c1 and before the campaign journaled its plan.
        var entry = new CampaignIndexEntry("c1", 1, CampaignKinds.Snapshot, CampaignStates.Running, "all", 2, 0, 0, 0, T0, null, null, null, null);
        var seeder = Sys.ActorOf(CampaignJournalSeeder.Props(Coordinator.IndexPersistenceId, [new CampaignOpened(entry, "test")]));
        await seeder.Ask<long>("write", Timeout);
        Sys.Stop(seeder);

        StartCoordinator();
        await AwaitAssertAsync(async () =>
        {
            var c1 = Assert.Single((await AskAsync<CampaignList>(ListCampaigns.Instance)).Campaigns);
            Assert.Equal(CampaignStates.Failed, c1.State);
            Assert.NotNull(c1.EndedAt);
        }, Timeout);
        var e = await Assert.ThrowsAsync<FleetRequestException>(() => ViewAsync("c1"));
        Assert.Equal("campaign c1 was never recorded (the coordinator stopped while starting it)", e.Message);
        Assert.Equal("c2", (await StartAsync(Snapshot())).Id);
        Assert.DoesNotContain((await FleetLogAsync()).Executions.Keys, k => k.StartsWith("c1/", StringComparison.Ordinal));
    }

    private async Task WaitForExecutionsAsync(int count) =>
        await AwaitAssertAsync(async () => Assert.True((await FleetLogAsync()).Executions.Count >= count), Timeout);

    private async Task AssertEveryStepRanOnceAsync(int hosts, int steps)
    {
        var log = await FleetLogAsync();
        Assert.All(log.Executions, e => Assert.True(e.Value == 1, $"{e.Key} ran {e.Value} times"));
        Assert.All(HostIds(hosts), h => Assert.Equal(steps, log.KeysOf(h).Count));
        Assert.All(log.Executions.Keys, k => Assert.EndsWith("/1", k, StringComparison.Ordinal));
        Output.WriteLine($"{log.Executions.Count} steps run once each; {log.Deliveries.Values.Sum()} deliveries, {log.Replays} answered from the hosts' records");
    }
}
