using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;
using static FleetMerge.Cli.Tests.Fleet.FleetViews;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>`fleetmerge campaign start|list|status|pause|resume|abort` against a fake fleet API: the request bodies, tables, --json, refusals and exit codes.</summary>
public sealed class CampaignCommandTests
{
    private static CliProcess.Result Run(FakeFleetNode node, RemoteCli cli, params string[] args) =>
        cli.RunWith(new Dictionary<string, string?>(), [.. args, "--node", node.Url, "--token-file", cli.TokenFile]);

    public static JsonObject Halted() => CampaignView("c1", "failed",
        [
            new("sim-0001", 1, "succeeded", "hook health", 3, 4, "health hook ok: release c1"),
            new("sim-0002", 2, "failed", "hook health", 3, 4, "health hook failed: release c1 is BROKEN"),
            new("sim-0003", 2, "skipped", null, 0, 4, "the campaign halted (failure budget spent) before the host's turn"),
        ],
        halted: "failure budget spent: 1 hosts failed (sim-0002), 0 allowed", followUp: "c2",
        timeline: ["created by api 127.0.0.1: snapshot of vg0/root on 3 hosts in 2 waves, 0 failures allowed", "canary started (1 hosts)", "ended failed: 1 succeeded, 1 failed, 1 skipped"]);

    [Fact]
    public async Task Start_posts_every_option_as_the_api_names_it_and_prints_only_the_id()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "campaign", "start", "snapshot", "--hosts", "env=prod,rack!=r1", "--volumes", "vg0/root,vg0/home", "--size", "20%",
            "--chunk-size", "64K", "--upgrade", "--health", "--canary", "2", "--wave-size", "25%", "--max-in-flight", "10", "--failure-budget", "10%",
            "--auto-rollback", "--step-timeout", "30m", "--window", "01:00-05:00", "--tz", "Europe/Berlin");
        RemoteCli.AssertOk(r);
        Assert.Equal("c9\n", r.Stdout);
        var (method, path, body) = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/api/v1/campaigns"), (method, path));
        var expected = new JsonObject
        {
            ["kind"] = "snapshot", ["hosts"] = "env=prod,rack!=r1", ["volumes"] = new JsonArray("vg0/root", "vg0/home"), ["size"] = "20%",
            ["chunk_bytes"] = 65536, ["of"] = null, ["upgrade"] = true, ["health"] = true, ["canary"] = 2, ["wave_size"] = "25%",
            ["max_in_flight"] = 10, ["failure_budget"] = "10%", ["auto_rollback"] = true, ["step_timeout"] = "30m",
            ["window"] = new JsonObject { ["start"] = "01:00", ["end"] = "05:00", ["time_zone"] = "Europe/Berlin" },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(body!)), body);
    }

    [Fact]
    public async Task Start_rollback_sends_the_campaign_it_acts_on_and_leaves_the_rest_to_the_nodes_defaults()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        RemoteCli.AssertOk(Run(node, cli, "campaign", "start", "rollback", "--of", "c1"));
        var body = JsonNode.Parse(Assert.Single(node.Requests).Body!)!.AsObject();
        Assert.Equal("rollback", (string)body["kind"]!);
        Assert.Equal("c1", (string)body["of"]!);
        Assert.Null(body["hosts"]);
        Assert.Null(body["size"]);
        Assert.Null(body["wave_size"]);
        Assert.Null(body["failure_budget"]);
        Assert.Null(body["window"]);
        Assert.Empty(body["volumes"]!.AsArray());
    }

    [Theory]
    [InlineData("--window", "01:00", "--window '01:00': expected HH:MM-HH:MM")]
    [InlineData("--volumes", "vg0root", "--volumes: 'vg0root' is not VG/LV")]
    [InlineData("--chunk-size", "4Q", "4Q")]
    public async Task A_malformed_option_is_a_usage_error_without_a_request(string option, string value, string message)
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        var options = new Dictionary<string, string> { ["--volumes"] = "vg0/root", ["--size"] = "1M" };
        options[option] = value;
        var r = Run(node, cli, ["campaign", "start", "snapshot", .. options.SelectMany(o => new[] { o.Key, o.Value })]);
        RemoteCli.AssertOneLineError(r, 2, message);
        Assert.Empty(node.Requests);
    }

    [Fact]
    public async Task An_unknown_kind_is_a_usage_error_without_a_request()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        var r = Run(node, cli, "campaign", "start", "explode");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("explode", r.Stderr);
        Assert.Empty(node.Requests);
    }

    [Fact]
    public async Task A_refused_start_is_the_nodes_message_in_one_line_exit_3()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Refuse("POST", "/api/v1/campaigns", 400, "volumes: a snapshot campaign needs at least one origin as VG/LV");
        var r = Run(node, cli, "campaign", "start", "snapshot");
        RemoteCli.AssertOneLineError(r, 3, "volumes: a snapshot campaign needs at least one origin as VG/LV");
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task List_prints_a_row_per_campaign_and_json_as_it_came()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.CampaignList = [SummaryView("c3", "snapshot", "running", 30, 12, 0, 4, policy: "nightly"), SummaryView("c2", "rollback", "completed", 1, 1, 0, 0, of: "c1"), SummaryView("c1", "snapshot", "failed", 3, 1, 1, 0)];
        var r = Run(node, cli, "campaign", "list");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "  ID KIND     STATE     HOSTS OK FAILED RUNNING CREATED              OF POLICY\n"
            + "  c3 snapshot running      30 12      0       4 2026-11-20 08:00:00Z    nightly\n"
            + "  c2 rollback completed     1  1      0       0 2026-11-20 08:00:00Z c1\n"
            + "  c1 snapshot failed        3  1      1       0 2026-11-20 08:00:00Z\n",
            r.Stdout);

        var json = Run(node, cli, "campaign", "list", "--json");
        RemoteCli.AssertOk(json);
        Assert.True(JsonNode.DeepEquals(node.CampaignList, JsonNode.Parse(json.Stdout)), json.Stdout);
    }

    [Fact]
    public async Task Status_prints_the_state_waves_every_host_and_the_latest_timeline()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c1", Halted());
        var r = Run(node, cli, "campaign", "status", "c1");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "Campaign c1: snapshot of env=sim (vg0/root)\n"
            + "  state failed; hosts 3: 1 failed, 1 skipped, 1 succeeded; failures 1 of 0 allowed\n"
            + "  halted: failure budget spent: 1 hosts failed (sim-0002), 0 allowed\n"
            + "  follow-up: rollback campaign c2\n"
            + "  wave 1 (canary): done, 1 hosts: 1 succeeded\n"
            + "  wave 2: done, 2 hosts: 1 failed, 1 skipped\n"
            + "  HOST     WAVE OUTCOME   STEP            DETAIL\n"
            + "  sim-0001    1 succeeded 4/4 hook health health hook ok: release c1\n"
            + "  sim-0002    2 failed    4/4 hook health health hook failed: release c1 is BROKEN\n"
            + "  sim-0003    2 skipped                   the campaign halted (failure budget spent) before the host's turn\n"
            + "  08:00:00 created by api 127.0.0.1: snapshot of vg0/root on 3 hosts in 2 waves, 0 failures allowed\n"
            + "  08:01:00 canary started (1 hosts)\n"
            + "  08:02:00 ended failed: 1 succeeded, 1 failed, 1 skipped\n",
            r.Stdout);

        var json = Run(node, cli, "campaign", "status", "c1", "--json");
        RemoteCli.AssertOk(json);
        Assert.True(JsonNode.DeepEquals(Halted(), JsonNode.Parse(json.Stdout)), json.Stdout);
    }

    [Theory]
    [InlineData("pause", "paused")]
    [InlineData("resume", "running")]
    [InlineData("abort", "aborted")]
    public async Task Pause_resume_and_abort_post_to_the_campaign_and_print_its_new_state(string verb, string state)
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c4", CampaignView("c4", "running", [new("sim-0001", 1, "running", "snapshot", 1)]));
        var r = Run(node, cli, "campaign", verb, "c4");
        RemoteCli.AssertOk(r);
        Assert.Equal($"Campaign c4 is {state}\n", r.Stdout);
        Assert.Equal(("POST", $"/api/v1/campaigns/c4/{verb}", (string?)null), Assert.Single(node.Requests));

        var json = Run(node, cli, "campaign", verb, "c4", "--json");
        RemoteCli.AssertOk(json);
        Assert.Equal(state, (string)JsonNode.Parse(json.Stdout)!["state"]!);
    }

    [Fact]
    public async Task A_refused_change_and_an_unknown_campaign_are_one_line_exit_3()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c4", CampaignView("c4", "running", [new("sim-0001", 1, "running", "snapshot", 1)]));
        node.Refuse("POST", "/api/v1/campaigns/c4/resume", 409, "campaign c4 is running; only a paused campaign can be resumed");
        var refused = Run(node, cli, "campaign", "resume", "c4");
        RemoteCli.AssertOneLineError(refused, 3, "campaign c4 is running; only a paused campaign can be resumed");
        Assert.Equal("", refused.Stdout);

        RemoteCli.AssertOneLineError(Run(node, cli, "campaign", "status", "c404"), 3, "campaign c404: no such campaign");
        RemoteCli.AssertOneLineError(Run(node, cli, "campaign", "abort", "c404"), 3, "campaign c404: no such campaign");
    }
}
