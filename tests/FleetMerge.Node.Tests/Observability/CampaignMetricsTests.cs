using FleetMerge.Node.Tests.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// What the metrics endpoint counts for the campaigns of <see cref="CampaignNode"/>: host steps by
/// kind and outcome, campaigns by kind and final state, the merges the rollback ran on the
/// simulated hosts, and the hosts by reachability and state.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class CampaignMetricsTests(CampaignNode node, ITestOutputHelper output)
{
    [Fact]
    public async Task Host_steps_are_counted_by_kind_and_outcome()
    {
        Assert.Equal(new Dictionary<string, string> { ["sim-0001"] = "succeeded", [CampaignNode.Broken] = "failed", ["sim-0003"] = "succeeded" },
            FleetNode.Outcomes(node.SnapshotView));
        Assert.All(FleetNode.Outcomes(node.RollbackView).Values, outcome => Assert.Equal("succeeded", outcome));

        var scrape = await MetricsEndpoint.ScrapeAsync(node.E2e);
        output.WriteLine(scrape.ToString());
        var steps = scrape.All("fleetmerge_host_steps_total").ToDictionary(s => (s.Labels["kind"], s.Labels["outcome"]), s => s.Value);
        // Snapshot campaign: preflight, snapshot, hook upgrade, hook health on 3 hosts, the health hook of sim-0002 failing.
        // Rollback: mark-merge, reboot, await-merge, hook health on the same 3 hosts.
        Assert.Equal(new Dictionary<(string, string), double>
        {
            [("preflight", "ok")] = 3,
            [("snapshot", "ok")] = 3,
            [("hook", "ok")] = 3 + 2 + 3,
            [("hook", "failed")] = 1,
            [("mark-merge", "ok")] = 3,
            [("reboot", "ok")] = 3,
            [("await-merge", "ok")] = 3,
        }, steps);
    }

    [Fact]
    public async Task Campaigns_are_counted_by_kind_when_they_start_and_by_final_state_when_they_end()
    {
        var scrape = await MetricsEndpoint.ScrapeAsync(node.E2e);
        output.WriteLine(scrape.ToString());
        string snapshotState = node.SnapshotView.GetProperty("state").GetString()!;
        Assert.Equal("completed", snapshotState); // one failure, within the budget of 1
        Assert.Equal(1.0, scrape.Value("fleetmerge_campaigns_started_total", "kind=snapshot"));
        Assert.Equal(1.0, scrape.Value("fleetmerge_campaigns_started_total", "kind=rollback"));
        Assert.Equal(1.0, scrape.Value("fleetmerge_campaigns_ended_total", "kind=snapshot", $"state={snapshotState}"));
        Assert.Equal(1.0, scrape.Value("fleetmerge_campaigns_ended_total", "kind=rollback", "state=completed"));
        Assert.Equal(4.0, scrape.All("fleetmerge_campaigns_started_total").Concat(scrape.All("fleetmerge_campaigns_ended_total")).Sum(s => s.Value));
    }

    [Fact]
    public async Task The_rollback_merged_on_every_simulated_host_and_every_host_is_counted_once_idle_again()
    {
        // Before the campaigns: the node's own host and the three simulated ones, reachable and idle.
        Assert.Equal(4.0, node.BeforeCampaigns.Value("fleetmerge_hosts", "reachability=reachable", "state=idle"));

        Scrape? scrape = null;
        await Eventually.Until("every host reachable and idle after the rollback", async () =>
        {
            scrape = await MetricsEndpoint.ScrapeAsync(node.E2e);
            var hosts = scrape.All("fleetmerge_hosts");
            return (hosts.Count == 1 && scrape.Value("fleetmerge_hosts", "reachability=reachable", "state=idle") == 4, scrape.ToString());
        });
        output.WriteLine(scrape!.ToString());
        // One merge per simulated host (the rollback's merge of the campaign's snapshot), all complete.
        Assert.Equal(3.0, scrape.Value("fleetmerge_merges_completed_total"));
        Assert.Equal(0.0, scrape.Value("fleetmerge_merges_running"));
        Assert.Equal(0.0, scrape.ValueOrZero("fleetmerge_merges_failed_total"));
        Assert.True(scrape.ValueOrZero("fleetmerge_merge_copied_bytes_total") > 0, scrape.ToString());
        // The snapshots are merged away: no COW left to report.
        Assert.Empty(scrape.All("fleetmerge_cow_allocated_bytes"));
    }
}
