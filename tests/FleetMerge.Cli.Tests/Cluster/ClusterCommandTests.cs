using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;

namespace FleetMerge.Cli.Tests.Cluster;

/// <summary>`fleetmerge cluster …` against a fake cluster API: requests sent, output printed, exit codes.</summary>
public sealed class ClusterCommandTests
{
    private static CliProcess.Result Run(FakeClusterNode node, RemoteCli cli, params string[] args) =>
        cli.RunWith(new Dictionary<string, string?>(), [.. args, "--node", node.Url, "--token-file", cli.TokenFile]);

    [Fact]
    public async Task Show_prints_a_summary_and_one_row_per_member_oldest_first()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", "show");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            $"Cluster seen from {FakeClusterNode.B} (up)\n"
            + "  Members:     3 (3 up, 1 unreachable)\n"
            + $"  Leader:      {FakeClusterNode.A}\n"
            + $"  Coordinator: {FakeClusterNode.A}\n"
            + "\n"
            + "  Age Member                               Status Reachability Roles\n"
            + $"    1 {FakeClusterNode.A} up     reachable    api,coordinator,host leader,coordinator\n"
            + $"    2 {FakeClusterNode.B} up     reachable    api,coordinator,host self\n"
            + $"    3 {FakeClusterNode.C} up     unreachable  api,host\n",
            r.Stdout);
        Assert.Equal([("GET", "/api/v1/cluster", (string?)null)], node.Requests);
    }

    [Fact]
    public async Task Show_json_prints_the_nodes_view_as_it_came()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", "show", "--json");
        RemoteCli.AssertOk(r);
        Assert.True(JsonNode.DeepEquals(FakeClusterNode.View(), JsonNode.Parse(r.Stdout)), r.Stdout);
    }

    [Fact]
    public async Task Leave_posts_the_member_and_says_it_is_leaving()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", "leave", "127.0.0.1:4103");
        RemoteCli.AssertOk(r);
        Assert.Equal($"Member {FakeClusterNode.C} is leaving the cluster.\n", r.Stdout);
        var request = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/api/v1/cluster/leave"), (request.Method, request.Path));
        Assert.Equal("""{"node":"127.0.0.1:4103"}""", request.Body);

        var json = Run(node, cli, "cluster", "leave", FakeClusterNode.A, "--json");
        RemoteCli.AssertOk(json);
        Assert.Equal("leave", (string)JsonNode.Parse(json.Stdout)!["action"]!);
    }

    [Fact]
    public async Task Leave_of_an_unknown_member_is_the_nodes_404_in_one_line_exit_3()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", "leave", "10.0.0.1:4101");
        RemoteCli.AssertOneLineError(r, 3, "akka.tcp://fleetmerge@10.0.0.1:4101 is not a member of this cluster");
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("leave", "NODE", "127.0.0.1")]
    [InlineData("leave", "NODE", "akka.tcp://fleetmerge@127.0.0.1:4101/user/x")]
    [InlineData("join", "SEED", "node one:4101")]
    public async Task A_malformed_address_is_a_usage_error_without_a_request(string verb, string what, string address)
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", verb, address);
        RemoteCli.AssertOneLineError(r, 2, $"{what} '{address}' is not a cluster address");
        Assert.Empty(node.Requests);
    }

    [Fact]
    public async Task Down_unreachable_names_each_downed_member()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "cluster", "down-unreachable");
        RemoteCli.AssertOk(r);
        Assert.Equal($"Member {FakeClusterNode.C} is down.\n", r.Stdout);
        var request = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/api/v1/cluster/down-unreachable", (string?)null), request);
    }

    [Fact]
    public async Task Join_prints_the_nodes_note_and_a_refusal_is_exit_3()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        var member = Run(node, cli, "cluster", "join", "127.0.0.1:4101");
        RemoteCli.AssertOk(member);
        Assert.Equal($"{FakeClusterNode.A} is already a member of this node's cluster.\n", member.Stdout);
        Assert.Equal("""{"seed":"127.0.0.1:4101"}""", node.Requests[^1].Body);

        var refused = Run(node, cli, "cluster", "join", "10.0.0.9:4101");
        RemoteCli.AssertOneLineError(refused, 3, "a member cannot move to another cluster", "--seed-nodes akka.tcp://fleetmerge@10.0.0.9:4101");
    }

    [Fact]
    public async Task Token_and_connection_problems_have_the_palettes_exit_codes()
    {
        await using var node = await FakeClusterNode.StartAsync();
        using var cli = new RemoteCli(null);
        System.IO.File.WriteAllText(cli.TokenFile, "not-the-token\n");
        RemoteCli.AssertOneLineError(Run(node, cli, "cluster", "show"), 4, "refused the API token");

        var unreachable = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = FakeNode.Token }, "cluster", "show", "--node", "http://127.0.0.1:1");
        RemoteCli.AssertOneLineError(unreachable, 5, "cannot reach the node at http://127.0.0.1:1");
    }
}
