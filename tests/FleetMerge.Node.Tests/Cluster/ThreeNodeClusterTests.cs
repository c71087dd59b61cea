using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMerge.Node.Tests.Process;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// Three real node processes in one cluster (<see cref="ThreeNodeCluster"/>), driven through the
/// real `fleetmerge cluster` CLI and the HTTP API: every node sees the same three members, a
/// SIGKILLed member is downed and removed by the survivors (keep-majority) and the coordinator's
/// place moves, a member leaves gracefully on request. No timed assertions: generous polls only;
/// the times are printed for the record.
/// </summary>
[Collection(ClusterTestCollection.Name)]
public sealed class ThreeNodeClusterTests(ThreeNodeCluster cluster, ITestOutputHelper output) : IClassFixture<ThreeNodeCluster>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private static string[] Addresses(JsonElement view) =>
        [.. view.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString()!).Order(StringComparer.Ordinal)];

    private static void AssertAllUpAndReachable(JsonElement view)
    {
        Assert.All(view.GetProperty("members").EnumerateArray(), m =>
        {
            Assert.Equal("up", m.GetProperty("status").GetString());
            Assert.Equal("reachable", m.GetProperty("reachability").GetString());
        });
        Assert.Equal(0, view.GetProperty("unreachable").GetArrayLength());
    }

    [Fact]
    public async Task Every_node_sees_three_members_the_survivors_remove_a_SIGKILLed_one_and_a_member_leaves_on_request()
    {
        string[] all = [.. cluster.Addresses.Order(StringComparer.Ordinal)];
        for (int i = 0; i < 3; i++)
        {
            int node = i;
            await ThreeNodeCluster.EventuallyAsync(() =>
            {
                var view = cluster.Show(node);
                Assert.Equal(all, Addresses(view));
                AssertAllUpAndReachable(view);
                Assert.Equal(cluster.Addresses[node], view.GetProperty("self_address").GetString());
                // node1 is the first seed: it formed the cluster, so it is the oldest coordinator node.
                Assert.Equal(cluster.Addresses[0], view.GetProperty("singleton_node").GetString());
            }, Generous);
        }
        var table = cluster.Cli(2, "cluster", "show");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("  Members:     3 (3 up, 0 unreachable)\n", table.Stdout);
        Assert.Contains($"  Coordinator: {cluster.Addresses[0]}\n", table.Stdout);
        Assert.Equal(3, table.Stdout.Split('\n').Count(l => l.Contains(" up ", StringComparison.Ordinal) && l.Contains("reachable", StringComparison.Ordinal)));

        // A crash of the node running the coordinator singleton.
        var clock = Stopwatch.StartNew();
        cluster.Nodes[0].Signal(NodeProcess.SIGKILL);
        await cluster.Nodes[0].WaitForExitAsync(TimeSpan.FromSeconds(30));
        string[] survivors = [.. new[] { cluster.Addresses[1], cluster.Addresses[2] }.Order(StringComparer.Ordinal)];
        foreach (int node in new[] { 1, 2 })
        {
            await ThreeNodeCluster.EventuallyAsync(() =>
            {
                var view = cluster.Show(node);
                Assert.Equal(survivors, Addresses(view));
                AssertAllUpAndReachable(view);
                Assert.Equal(cluster.Addresses[1], view.GetProperty("singleton_node").GetString());
            }, Generous);
            output.WriteLine($"node{node + 1} sees node1 removed and node2 as the coordinator's node {clock.Elapsed.TotalSeconds:0.0} s after the SIGKILL");
        }

        // A graceful leave, asked of node2 for node3: node3 hands over, leaves and stops by itself.
        var leave = cluster.Cli(1, "cluster", "leave", cluster.Addresses[2]);
        Assert.True(leave.ExitCode == 0 && leave.Stderr.Length == 0, leave.ToString());
        Assert.Equal($"Member {cluster.Addresses[2]} is leaving the cluster.\n", leave.Stdout);
        Assert.Equal(0, await cluster.Nodes[2].WaitForExitAsync(Generous));
        await ThreeNodeCluster.EventuallyAsync(() =>
        {
            var view = cluster.Show(1);
            Assert.Equal([cluster.Addresses[1]], Addresses(view));
            AssertAllUpAndReachable(view);
        }, Generous);
    }

    [Fact]
    public async Task Membership_commands_refuse_bad_and_unknown_addresses_in_one_line()
    {
        const int node = 1; // node2 lives through the other test
        var unknown = cluster.Cli(node, "cluster", "leave", "127.0.0.1:1");
        AssertRefused(unknown, 3, "akka.tcp://fleetmerge@127.0.0.1:1 is not a member of this cluster");
        AssertRefused(cluster.Cli(node, "cluster", "leave", "akka.tcp://other@127.0.0.1:4101"), 3, "the actor system is 'other'");
        AssertRefused(cluster.Cli(node, "cluster", "leave", "not-an-address"), 2, "NODE 'not-an-address' is not a cluster address");
        AssertRefused(cluster.Cli(node, "cluster", "join", "127.0.0.1:1"), 3, "this node is already a member of a cluster");

        var join = cluster.Cli(node, "cluster", "join", cluster.Addresses[node]);
        Assert.True(join.ExitCode == 0, join.ToString());
        Assert.Equal($"{cluster.Addresses[node]} is already a member of this node's cluster.\n", join.Stdout);

        using var http = cluster.Http(node);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("api/v1/cluster/leave", new { node = "127.0.0.1:1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("api/v1/cluster/leave", new { node = "127.0.0.1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("api/v1/cluster/leave", new { member = "127.0.0.1:1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync("api/v1/cluster/join", new { seed = "127.0.0.1:1" })).StatusCode);
        using var anonymous = NodeProcess.Client(cluster.Apis[node], null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/cluster")).StatusCode);
    }

    [Fact]
    public async Task Each_node_keeps_its_host_journal_in_sqlite_and_the_coordinator_nodes_share_the_fleet_journal_in_postgres()
    {
        for (int i = 0; i < 3; i++)
        {
            using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(cluster.DataDir(i), "journal.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
            sqlite.Open();
            using var command = sqlite.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            var tables = new List<string>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) tables.Add(reader.GetString(0));
            Assert.Contains("journal", tables);
            Assert.Contains("snapshot", tables);
        }
        // The ready line waits for the fleet plugins to answer, so their tables exist by then.
        Assert.Superset(new HashSet<string> { "journal", "snapshot" }, cluster.Fleet.Tables().ToHashSet());

        using var http = cluster.Http(1);
        using var health = JsonDocument.Parse(await http.GetStringAsync("api/v1/health"));
        var checks = health.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        output.WriteLine(string.Join(", ", checks.Select(c => $"{c.Key}={c.Value}")));
        Assert.Equal("healthy", checks["fleetmerge.fleet-persistence.connectivity"]);
        Assert.Contains(checks, c => c.Key.Contains("fleet-sql", StringComparison.Ordinal) && c.Value == "healthy");
    }

    private static void AssertRefused(EndToEnd.EndToEndNode.Result r, int exitCode, string mention)
    {
        Assert.True(r.ExitCode == exitCode, r.ToString());
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("fleetmerge: ", lines[0]);
        Assert.Contains(mention, lines[0]);
    }
}
