using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>`fleetmerge host list|show` against a fake fleet API: tables, --json as it came, the selector in the query, refusals.</summary>
public sealed class HostCommandTests
{
    private static CliProcess.Result Run(FakeFleetNode node, RemoteCli cli, params string[] args) =>
        cli.RunWith(new Dictionary<string, string?>(), [.. args, "--node", node.Url, "--token-file", cli.TokenFile]);

    private static async Task<FakeFleetNode> Fleet()
    {
        var node = await FakeFleetNode.StartAsync();
        node.Hosts[1] = FleetViews.HostView("sim-0002", "r1", canary: true, state: "merging",
            snapshots: FleetViews.Lv("root-c1", "vg0", "swi-a-s---", 2 << 20, "root", 12.5));
        node.Hosts[2] = FleetViews.HostView("sim-0003", "r2", reachability: "unreachable");
        return node;
    }

    [Fact]
    public async Task List_prints_one_row_per_host_and_a_summary()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "host", "list");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "  HOST     REACH       STATE   #LV #SNAP MAXDATA%   FREE LABELS\n"
            + "  sim-0001 reachable   idle      1     0          60.00m canary=true,env=sim,rack=r0\n"
            + "  sim-0002 reachable   merging   1     1    12.50 60.00m canary=true,env=sim,rack=r1\n"
            + "  sim-0003 unreachable idle      1     0          60.00m env=sim,rack=r2\n"
            + "  3 hosts: 2 idle, 1 merging; 1 not reachable\n",
            r.Stdout);
        Assert.Equal([("GET", "/api/v1/hosts", (string?)null)], node.Requests);
    }

    [Fact]
    public async Task List_json_prints_the_hosts_as_the_node_gave_them()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "host", "list", "--json");
        RemoteCli.AssertOk(r);
        Assert.True(JsonNode.DeepEquals(new JsonArray([.. node.Hosts.Select(h => h.DeepClone())]), JsonNode.Parse(r.Stdout)), r.Stdout);
    }

    [Fact]
    public async Task List_with_a_selector_sends_it_in_the_query()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "host", "list", "--hosts", "rack=r1", "--json");
        RemoteCli.AssertOk(r);
        Assert.Equal(["sim-0002"], JsonNode.Parse(r.Stdout)!.AsArray().Select(h => (string)h!["host_id"]!));
        Assert.Equal("/api/v1/hosts?selector=rack%3Dr1", Assert.Single(node.Requests).Path);
    }

    [Fact]
    public async Task List_of_no_host_prints_nothing()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "host", "list", "--hosts", "rack=r9");
        RemoteCli.AssertOk(r);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Show_prints_the_host_and_its_volumes()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "host", "show", "sim-0002");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "Host sim-0002 (simulated)\n"
            + $"  node          {FleetViews.Node}\n"
            + "  reachability  reachable\n"
            + "  state         merging\n"
            + "  incarnation   2\n"
            + "  labels        canary=true,env=sim,rack=r1\n"
            + "  free          60.00m\n"
            + "  last report   2026-11-20 08:01:02Z\n"
            + "  LV      VG  Attr       LSize Origin Data% Merge%\n"
            + "  root    vg0 owi-a-s--- 4.00m\n"
            + "  root-c1 vg0 swi-a-s--- 2.00m root   12.50\n",
            r.Stdout);
        Assert.Equal("/api/v1/hosts/sim-0002", Assert.Single(node.Requests).Path);

        var json = Run(node, cli, "host", "show", "sim-0002", "--json");
        RemoteCli.AssertOk(json);
        Assert.True(JsonNode.DeepEquals(node.Hosts[1], JsonNode.Parse(json.Stdout)), json.Stdout);
    }

    [Fact]
    public async Task An_unknown_host_and_a_bad_selector_are_the_nodes_refusals_in_one_line_exit_3()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        RemoteCli.AssertOneLineError(Run(node, cli, "host", "show", "sim-0099"), 3, "host 'sim-0099' is not registered");

        node.Refuse("GET", "/api/v1/hosts?selector=rack", 400, "host selector term 'rack': expected key=value, key=v1|v2, key!=value or host=glob");
        var bad = Run(node, cli, "host", "list", "--hosts", "rack");
        RemoteCli.AssertOneLineError(bad, 3, "host selector term 'rack'");
        Assert.Equal("", bad.Stdout);
    }

    [Fact]
    public async Task A_wrong_token_is_exit_4()
    {
        await using var node = await Fleet();
        using var cli = new RemoteCli(null);
        System.IO.File.WriteAllText(cli.TokenFile, "not-the-token\n");
        RemoteCli.AssertOneLineError(Run(node, cli, "host", "list"), 4, "refused the API token");
    }
}
