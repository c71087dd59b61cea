using Akka.Actor;
using Akka.Persistence.TestKit;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>Journal writes that fail (Akka.Persistence.TestKit's TestJournal, wired by hand: akka-stack notes pitfall 11).</summary>
public sealed class CampaignJournalFaultSpec(ITestOutputHelper output) : CampaignSpecBase(output, TestJournalConfig)
{
    private const string TestJournalConfig = """
        akka.loglevel = INFO
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        # The coordinator's own plugins (a cluster's PostgreSQL journal, while the default stays host-local).
        akka.persistence.journal.fleet {
          class = "Akka.Persistence.Journal.MemoryJournal, Akka.Persistence"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.fleet {
          class = "Akka.Persistence.Snapshot.MemorySnapshotStore, Akka.Persistence"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private ITestJournal TestJournal => Akka.Persistence.TestKit.TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public async Task A_failed_write_stops_the_campaign_the_coordinator_reports_it_and_starts_it_again_once_the_journal_is_back()
    {
        StartFleet(8, delay: TimeSpan.FromMilliseconds(80));
        StartCoordinator();
        await StartAsync(Snapshot(maxInFlight: 2));
        await AwaitAssertAsync(async () => Assert.True((await FleetLogAsync()).Executions.Count >= 3), Timeout);

        var campaign = await Sys.ActorSelection($"{CoordinatorRef.Path}/campaign-c1-*").ResolveOne(Timeout);
        Watch(campaign);
        await TestJournal.OnWrite.Fail();
        ExpectTerminated(campaign, Timeout);

        // Not a silent hang: asks get the reason until the campaign runs again.
        var reported = await ReportedAsync();
        Assert.Equal(FleetRequestException.Conflict, reported.Kind);
        Assert.StartsWith("campaign c1 is stopped: campaign c1: the journal could not record ", reported.Message, StringComparison.Ordinal);
        Assert.Contains("nothing decided since was sent; the campaign actor stopped; the coordinator starts it again every 300ms", reported.Message, StringComparison.Ordinal);
        int executed = (await FleetLogAsync()).Executions.Count;

        await TestJournal.OnWrite.Pass();
        var view = await WaitForEndAsync("c1");
        Assert.Equal((CampaignStates.Completed, 8), (view.State, Outcomes(view, HostOutcomes.Succeeded).Count));
        var log = await FleetLogAsync();
        Assert.True(log.Executions.Count > executed);
        Assert.All(log.Executions, e => Assert.True(e.Value == 1, $"{e.Key} ran {e.Value} times"));
        Assert.All(HostIds(8), h => Assert.Equal(2, log.KeysOf(h).Count));
    }

    [Fact]
    public async Task A_failed_index_write_answers_the_start_with_the_reason_and_the_supervised_coordinator_comes_back()
    {
        StartFleet(2);
        var coordinator = Sys.ActorOf(Coordinator.SupervisedProps(Settings(), minBackoff: TimeSpan.FromMilliseconds(100)), "supervised");
        await TestJournal.OnWrite.Fail();
        var e = await Assert.ThrowsAsync<Fleet.Campaigns.CampaignJournalException>(() =>
            coordinator.Ask<CampaignAccepted>(new StartCampaign(Snapshot(), "test"), Timeout));
        Assert.StartsWith("coordinator: the campaign index could not record CampaignOpened (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the coordinator stopped", e.Message, StringComparison.Ordinal);

        // Messages sent while the supervisor waits to start the coordinator again go to dead letters: ask until one is answered.
        await TestJournal.OnWrite.Pass();
        await AwaitAssertAsync(async () =>
            Assert.Equal("c1", (await coordinator.Ask<CampaignAccepted>(new StartCampaign(Snapshot(), "test"), TimeSpan.FromSeconds(2))).Id), Timeout);
        var view = await coordinator.Ask<CampaignView>(new GetCampaign("c1"), Timeout);
        Assert.Equal(2, view.Hosts.Count);
    }

    [Fact]
    public async Task The_coordinator_and_its_campaigns_use_the_plugins_their_settings_name()
    {
        StartFleet(4);
        await TestJournal.OnWrite.Fail(); // the default journal refuses everything
        StartCoordinator(Settings() with { JournalPluginId = "akka.persistence.journal.fleet", SnapshotPluginId = "akka.persistence.snapshot-store.fleet" });
        await StartAsync(Snapshot());
        var view = await WaitForEndAsync("c1");
        Assert.Equal((CampaignStates.Completed, 4), (view.State, Outcomes(view, HostOutcomes.Succeeded).Count));
        StopCoordinator(Akka.Actor.PoisonPill.Instance);
        StartCoordinator(Settings() with { JournalPluginId = "akka.persistence.journal.fleet", SnapshotPluginId = "akka.persistence.snapshot-store.fleet" });
        Assert.Equal(CampaignStates.Completed, Assert.Single((await AskAsync<CampaignList>(ListCampaigns.Instance)).Campaigns).State);
        await TestJournal.OnWrite.Pass();
    }

    private async Task<FleetRequestException> ReportedAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            try { await ViewAsync("c1"); }
            catch (FleetRequestException e) { return e; }
            await Task.Delay(10);
        }
        throw new TimeoutException("the coordinator never reported the stopped campaign");
    }
}
