using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FleetMerge.Node.Tests.Process;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// The coordinator singleton's node dies in the middle of a campaign (<see cref="FailoverCluster"/>:
/// three real node processes, the fleet journal in PostgreSQL, twelve simulated hosts on node2 and
/// node3). The singleton moves to node2, the campaign goes on there and completes; the proof that no
/// host was skipped and no step ran twice comes from the stores themselves: the campaign's journal
/// in PostgreSQL and each node's host step ledger in its SQLite journal. No timed assertions: the
/// failover times are printed for the record.
/// </summary>
[Collection(ClusterTestCollection.Name)]
public sealed class SingletonFailoverTests(FailoverCluster cluster, ITestOutputHelper output) : IClassFixture<FailoverCluster>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private const int StepsPerHost = 4; // preflight, snapshot, hook upgrade, hook health

    private static readonly string[] Simulated = [.. FailoverCluster.SimulatedOn(1).Concat(FailoverCluster.SimulatedOn(2))];

    private async Task<JsonElement> GetAsync(int node, string path, TimeSpan? timeout = null)
    {
        using var http = cluster.Http(node);
        if (timeout is { } t) http.Timeout = t;
        using var answer = await http.GetAsync($"api/v1/{path}");
        string body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {path} on node{node + 1}: {(int)answer.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private static string[] HostsWith(JsonElement campaign, string outcome) =>
        [.. campaign.GetProperty("hosts").EnumerateArray().Where(h => h.GetProperty("outcome").GetString() == outcome).Select(h => h.GetProperty("host_id").GetString()!)];

    [Fact]
    public async Task The_campaign_completes_on_the_next_coordinator_node_after_a_SIGKILL_with_each_step_run_once_on_each_host()
    {
        await ThreeNodeCluster.EventuallyAsync(() =>
            Assert.Equal(cluster.Addresses[0], cluster.Show(2).GetProperty("singleton_node").GetString()), Generous);
        await ThreeNodeCluster.EventuallyAsync(async () =>
        {
            var hosts = await GetAsync(2, "hosts?selector=env%3Dsim");
            Assert.Equal(Simulated, hosts.EnumerateArray().Where(h => h.GetProperty("reachability").GetString() == "reachable")
                .Select(h => h.GetProperty("host_id").GetString()!).Order(StringComparer.Ordinal));
        }, Generous);

        var start = cluster.Cli(2, "campaign", "start", "snapshot", "--hosts", "env=sim", "--volumes", "vg0/root", "--size", "1M",
            "--upgrade", "--health", "--max-in-flight", "4");
        Assert.True(start.ExitCode == 0 && start.Stderr.Length == 0, start.ToString());
        string id = start.Stdout.Trim();

        // Some hosts have succeeded, not all: then the coordinator's node dies.
        JsonElement before = default;
        await ThreeNodeCluster.EventuallyAsync(async () =>
        {
            before = await GetAsync(2, $"campaigns/{id}");
            Assert.NotEmpty(HostsWith(before, "succeeded"));
        }, Generous, TimeSpan.FromMilliseconds(250));
        Assert.InRange(HostsWith(before, "succeeded").Length, 1, Simulated.Length - 1);
        var clock = Stopwatch.StartNew();
        cluster.Nodes[0].Signal(NodeProcess.SIGKILL);
        await cluster.Nodes[0].WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"SIGKILL of node1 with campaign {id}: {HostsWith(before, "succeeded").Length} succeeded, " +
                         $"{HostsWith(before, "running").Length} running, {HostsWith(before, "pending").Length} pending");

        // Short asks: the proxy drops what it sends to the dead node until the survivors remove it.
        await ThreeNodeCluster.EventuallyAsync(() => GetAsync(1, $"campaigns/{id}", TimeSpan.FromSeconds(3)), Generous, TimeSpan.FromMilliseconds(200));
        output.WriteLine($"campaign {id} answers through node2 again {clock.Elapsed.TotalSeconds:0.0} s after the SIGKILL");
        await ThreeNodeCluster.EventuallyAsync(async () =>
        {
            var campaign = await GetAsync(1, $"campaigns/{id}", TimeSpan.FromSeconds(10));
            Assert.Equal("completed", campaign.GetProperty("state").GetString());
        }, TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(1));
        output.WriteLine($"campaign {id} completed {clock.Elapsed.TotalSeconds:0.0} s after the SIGKILL");
        Assert.Equal(cluster.Addresses[1], cluster.Show(2).GetProperty("singleton_node").GetString());

        // Every host exactly one outcome, succeeded; none skipped (asked through node3's CLI).
        var status = cluster.Cli(2, "campaign", "status", id, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var view = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal("completed", view.RootElement.GetProperty("state").GetString());
            var hosts = view.RootElement.GetProperty("hosts").EnumerateArray().ToList();
            Assert.Equal(Simulated, hosts.Select(h => h.GetProperty("host_id").GetString()!).Order(StringComparer.Ordinal));
            Assert.All(hosts, h => Assert.Equal("succeeded", h.GetProperty("outcome").GetString()));
        }

        AssertTheCampaignJournalRecordsEachStepOnce(id);
        AssertEachHostLedgerRanEachStepOnce(id);
    }

    /// <summary>The fleet journal (PostgreSQL): one StepStarted and one StepSucceeded per key, a key per (host, step); nothing failed or skipped.</summary>
    private void AssertTheCampaignJournalRecordsEachStepOnce(string id)
    {
        var rows = JournalRows.Postgres(cluster.Fleet.ConnectionString, $"campaign-{id}");
        var recovered = rows.Where(r => r.Manifest == "campaign.recovered.v1").ToList();
        Assert.NotEmpty(recovered); // the campaign really was taken over from the journal
        output.WriteLine($"fleet journal: {rows.Count} events of campaign-{id}; recovered {recovered.Count}x with " +
                         string.Join(", ", recovered.Select(r => r.Event.GetProperty("steps_in_flight").GetInt32())) + " steps in flight");
        Assert.DoesNotContain(rows, r => r.Manifest is "campaign.step-failed.v1" or "campaign.hosts-skipped.v1" or "campaign.host-stopped.v1");
        foreach (string manifest in new[] { "campaign.step-started.v1", "campaign.step-succeeded.v1" })
        {
            var perKey = rows.Where(r => r.Manifest == manifest).GroupBy(r => r.Text("key")).ToList();
            int duplicates = perKey.Count(g => g.Count() > 1);
            output.WriteLine($"fleet journal: {manifest}: {perKey.Count} keys, {duplicates} recorded more than once");
            Assert.Equal(0, duplicates);
            Assert.Equal(Simulated.Length * StepsPerHost, perKey.Count);
            var hostSteps = perKey.Select(g => (Host: g.First().Text("host_id"), Step: g.First().Event.GetProperty("step_index").GetInt32())).Distinct().ToList();
            Assert.Equal(perKey.Count, hostSteps.Count);
            Assert.Equal(Simulated, hostSteps.Select(s => s.Host).Distinct().Order(StringComparer.Ordinal));
        }
    }

    /// <summary>Each host's step ledger (its node's SQLite journal): every key of the campaign accepted and finished exactly once.</summary>
    private void AssertEachHostLedgerRanEachStepOnce(string id)
    {
        var keys = new List<string>();
        foreach (int node in new[] { 1, 2 })
        {
            var rows = JournalRows.Sqlite(Path.Combine(cluster.DataDir(node), "journal.db"), "host-steps-sim-%")
                .Where(r => r.Manifest is "host-step.accepted.v1" or "host-step.finished.v1" && r.Text("key").StartsWith(id + "/", StringComparison.Ordinal))
                .ToList();
            foreach (string manifest in new[] { "host-step.accepted.v1", "host-step.finished.v1" })
            {
                var perKey = rows.Where(r => r.Manifest == manifest).GroupBy(r => r.Text("key")).ToList();
                int duplicates = perKey.Count(g => g.Count() > 1);
                output.WriteLine($"node{node + 1} journal.db: {manifest}: {perKey.Count} keys, {duplicates} recorded more than once");
                Assert.Equal(0, duplicates);
                Assert.Equal(FailoverCluster.HostsPerNode * StepsPerHost, perKey.Count);
                // A host's ledger holds only that host's keys (persistence id host-steps-<host>).
                Assert.All(perKey, g => Assert.Equal($"host-steps-{g.Key.Split('/')[1]}", g.Single().PersistenceId));
                Assert.Equal(FailoverCluster.SimulatedOn(node), perKey.Select(g => g.Key.Split('/')[1]).Distinct().Order(StringComparer.Ordinal));
            }
            keys.AddRange(rows.Where(r => r.Manifest == "host-step.accepted.v1").Select(r => r.Text("key")));
        }
        var journaled = JournalRows.Postgres(cluster.Fleet.ConnectionString, $"campaign-{id}")
            .Where(r => r.Manifest == "campaign.step-succeeded.v1").Select(r => r.Text("key"));
        Assert.Equal(journaled.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }
}
