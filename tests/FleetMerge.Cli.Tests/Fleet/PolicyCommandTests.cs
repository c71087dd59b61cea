using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;
using static FleetMerge.Cli.Tests.Fleet.FleetViews;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>`fleetmerge policy add|list|show|remove|run-now` against a fake fleet API.</summary>
public sealed class PolicyCommandTests
{
    private static CliProcess.Result Run(FakeFleetNode node, RemoteCli cli, params string[] args) =>
        cli.RunWith(new Dictionary<string, string?>(), [.. args, "--node", node.Url, "--token-file", cli.TokenFile]);

    [Fact]
    public async Task Add_posts_the_policy_as_the_api_names_it_and_prints_the_next_run()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Policies.Add(PolicyView("nightly"));
        var r = Run(node, cli, "policy", "add", "nightly", "--cron", "0 3 * * *", "--tz", "Europe/Berlin", "--hosts", "env=prod",
            "--volumes", "vg0/root", "--size", "20%", "--keep", "5", "--max-age", "7d", "--chunk-size", "8K");
        RemoteCli.AssertOk(r);
        Assert.Equal("Policy nightly added; next run 2026-11-21 02:00Z\n", r.Stdout);
        var (method, path, body) = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/api/v1/policies"), (method, path));
        var expected = new JsonObject
        {
            ["name"] = "nightly", ["cron"] = "0 3 * * *", ["hosts"] = "env=prod", ["volumes"] = new JsonArray("vg0/root"), ["size"] = "20%",
            ["time_zone"] = "Europe/Berlin", ["chunk_bytes"] = 8192, ["keep"] = 5, ["max_age"] = "7d",
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(body!)), body);
    }

    [Fact]
    public async Task Add_without_a_cron_is_a_usage_error_without_a_request()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "policy", "add", "nightly", "--hosts", "env=prod", "--volumes", "vg0/root", "--size", "20%");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--cron", r.Stderr);
        Assert.Empty(node.Requests);
    }

    [Fact]
    public async Task A_refused_policy_is_the_nodes_message_in_one_line_exit_3()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Refuse("POST", "/api/v1/policies", 400, "bad cron '61 3 * * *': Minutes: Value must be a number between 0 and 59");
        var r = Run(node, cli, "policy", "add", "nightly", "--cron", "61 3 * * *", "--hosts", "env=prod", "--volumes", "vg0/root", "--size", "20%");
        RemoteCli.AssertOneLineError(r, 3, "bad cron '61 3 * * *'");
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task List_prints_a_row_per_policy_with_its_last_run_and_json_as_it_came()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Policies.Add(PolicyView("nightly", ("c7", "completed", 2)));
        node.Policies.Add(PolicyView("weekly"));
        var r = Run(node, cli, "policy", "list");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "  POLICY  CRON      TZ            HOSTS    VOLUMES  KEEP NEXT RUN          LAST\n"
            + "  nightly 0 3 * * * Europe/Berlin env=prod vg0/root    3 2026-11-21 02:00Z 2026-11-20 02:00Z c7 completed\n"
            + "  weekly  0 3 * * * Europe/Berlin env=prod vg0/root    3 2026-11-21 02:00Z -\n",
            r.Stdout);

        var json = Run(node, cli, "policy", "list", "--json");
        RemoteCli.AssertOk(json);
        Assert.True(JsonNode.DeepEquals(new JsonArray([.. node.Policies.Select(p => p.DeepClone())]), JsonNode.Parse(json.Stdout)), json.Stdout);
    }

    [Fact]
    public async Task Show_prints_the_policy_and_its_runs()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Policies.Add(PolicyView("nightly", ("c8", "running", 0), ("c7", "completed", 2)));
        var r = Run(node, cli, "policy", "show", "nightly");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "Policy nightly\n"
            + "  schedule   0 3 * * * (Europe/Berlin)\n"
            + "  hosts      env=prod\n"
            + "  volumes    vg0/root, size 20%\n"
            + "  retention  keep 3, max age 7.00:00:00\n"
            + "  next run   2026-11-21 02:00Z\n"
            + "  DUE               CAMPAIGN STATE     PRUNED NOTE\n"
            + "  2026-11-20 02:00Z c8       running        0\n"
            + "  2026-11-20 02:00Z c7       completed      2\n",
            r.Stdout);
        RemoteCli.AssertOneLineError(Run(node, cli, "policy", "show", "hourly"), 3, "policy 'hourly' not found");
    }

    [Fact]
    public async Task Remove_deletes_the_policy_and_run_now_prints_the_campaign_id()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Policies.Add(PolicyView("nightly"));
        var run = Run(node, cli, "policy", "run-now", "nightly");
        RemoteCli.AssertOk(run);
        Assert.Equal("c9\n", run.Stdout);
        Assert.Equal(("POST", "/api/v1/policies/nightly/run", (string?)null), node.Requests[^1]);

        var removed = Run(node, cli, "policy", "remove", "nightly");
        RemoteCli.AssertOk(removed);
        Assert.Equal("Policy nightly removed; its snapshots stay\n", removed.Stdout);
        Assert.Equal(("DELETE", "/api/v1/policies/nightly", (string?)null), node.Requests[^1]);

        RemoteCli.AssertOneLineError(Run(node, cli, "policy", "run-now", "hourly"), 3, "policy 'hourly' not found");
        RemoteCli.AssertOneLineError(Run(node, cli, "policy", "remove", "hourly"), 3, "policy 'hourly' not found");
    }
}
