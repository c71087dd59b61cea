using Akka.Actor;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>A start with a request key opens one campaign, however often it is repeated (a policy run retried after a crash).</summary>
public sealed class IdempotentStartSpec(ITestOutputHelper output) : CampaignSpecBase(output)
{
    [Fact]
    public async Task A_repeated_key_gets_the_campaign_it_opened_while_running_after_it_ended_and_after_a_coordinator_restart()
    {
        StartFleet(4, delay: TimeSpan.FromMilliseconds(50));
        StartCoordinator();
        var start = new StartCampaign(Snapshot(), "policy nightly", "policy nightly due 2026-11-26T02:00:00Z");

        // Two at once: the second arrives while the first is still resolving its hosts.
        var both = await Task.WhenAll(AskAsync<CampaignAccepted>(start), AskAsync<CampaignAccepted>(start));
        Assert.Equal([("c1", 4), ("c1", 4)], both.Select(a => (a.Id, a.Hosts)));
        Assert.Equal("c1", (await AskAsync<CampaignAccepted>(start)).Id);

        await WaitForEndAsync("c1");
        Assert.Equal("c1", (await AskAsync<CampaignAccepted>(start)).Id);

        StopCoordinator(PoisonPill.Instance);
        StartCoordinator();
        Assert.Equal("c1", (await AskAsync<CampaignAccepted>(start)).Id);
        Assert.Equal("c2", (await AskAsync<CampaignAccepted>(start with { RequestKey = "policy nightly due 2026-11-27T02:00:00Z" })).Id);
        Assert.Equal("c3", (await StartAsync(Snapshot())).Id); // no key: every start is a new campaign
        Assert.Equal(["c1", "c2", "c3"], (await AskAsync<CampaignList>(ListCampaigns.Instance)).Campaigns.Select(c => c.Id));
        var log = await FleetLogAsync();
        Assert.Contains(log.Executions.Keys, k => k.StartsWith("c1/", StringComparison.Ordinal));
        Assert.All(log.Executions, e => Assert.Equal(1, e.Value)); // c1's steps ran once, not once per repeated start
    }
}
