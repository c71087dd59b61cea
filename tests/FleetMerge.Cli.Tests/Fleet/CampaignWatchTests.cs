using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;
using static FleetMerge.Cli.Tests.Fleet.FleetViews;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>
/// `campaign status --watch` with its output in a pipe (as a script runs it): a line when the
/// campaign's state changes and one when a host's step or outcome changes, a last line with the
/// counts; exit 0 when the campaign completed, 3 when it failed or was aborted. The fake node plays
/// the campaign one view per poll (the CLI polls once a second).
/// </summary>
public sealed class CampaignWatchTests
{
    private static CliProcess.Result Run(FakeFleetNode node, RemoteCli cli, params string[] args) =>
        cli.RunWith(new Dictionary<string, string?>(), [.. args, "--node", node.Url, "--token-file", cli.TokenFile]);

    private static JsonObject[] Rollback(string end) =>
    [
        CampaignView("c2", "running", [new("sim-0001", 1, "running", "mark-merge", 0), new("sim-0002", 1, "pending")], kind: "rollback", of: "c1"),
        CampaignView("c2", "running", [new("sim-0001", 1, "running", "await-merge", 2), new("sim-0002", 1, "running", "mark-merge", 0)], kind: "rollback", of: "c1"),
        end == "completed"
            ? CampaignView("c2", "completed", [new("sim-0001", 1, "succeeded", "hook health", 3, 4, "health ok"), new("sim-0002", 1, "succeeded", "hook health", 3, 4, "health ok")], kind: "rollback", of: "c1")
            : CampaignView("c2", "failed", [new("sim-0001", 1, "succeeded", "hook health", 3, 4, "health ok"), new("sim-0002", 1, "failed", "await-merge", 2, 4, "merge failed:\nI/O error")],
                kind: "rollback", of: "c1", halted: "failure budget spent: 1 hosts failed (sim-0002), 0 allowed"),
    ];

    [Fact]
    public async Task Watch_of_a_campaign_that_completes_prints_each_change_once_and_exits_0()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c2", Rollback("completed"));
        var r = Run(node, cli, "campaign", "status", "c2", "--watch");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "c2: running\n"
            + "c2 sim-0001: running at mark-merge\n"
            + "c2 sim-0001: running at await-merge\n"
            + "c2 sim-0002: running at mark-merge\n"
            + "c2: completed\n"
            + "c2 sim-0001: succeeded at hook health: health ok\n"
            + "c2 sim-0002: succeeded at hook health: health ok\n"
            + "c2: completed; 2 succeeded\n",
            r.Stdout);
        Assert.Equal(3, node.Requests.Count);
        Assert.All(node.Requests, q => Assert.Equal(("GET", "/api/v1/campaigns/c2"), (q.Method, q.Path)));
    }

    [Fact]
    public async Task Watch_of_a_campaign_that_fails_says_why_on_one_line_per_host_and_exits_3()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c2", Rollback("failed"));
        var r = Run(node, cli, "campaign", "status", "c2", "--watch");
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        Assert.Equal("", r.Stderr);
        Assert.EndsWith(
            "c2: failed (failure budget spent: 1 hosts failed (sim-0002), 0 allowed)\n"
            + "c2 sim-0001: succeeded at hook health: health ok\n"
            + "c2 sim-0002: failed at await-merge: merge failed: I/O error\n"
            + "c2: failed; 1 failed, 1 succeeded\n",
            r.Stdout);
    }

    [Fact]
    public async Task Watch_of_an_aborted_campaign_exits_3_and_of_an_ended_one_at_once()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c5", CampaignView("c5", "aborted", [new("sim-0001", 1, "succeeded", "snapshot", 1, 2, "taken"), new("sim-0002", 1, "skipped", null, 0, 2, "the campaign was aborted before the host's turn")], halted: "aborted"));
        var r = Run(node, cli, "campaign", "status", "c5", "--watch");
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        Assert.Equal(
            "c5: aborted (aborted)\n"
            + "c5 sim-0001: succeeded at snapshot: taken\n"
            + "c5 sim-0002: skipped: the campaign was aborted before the host's turn\n"
            + "c5: aborted; 1 skipped, 1 succeeded\n",
            r.Stdout);
        Assert.Single(node.Requests);
    }

    [Fact]
    public async Task Watch_json_prints_the_final_view_once_with_the_same_exit_code()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        var views = Rollback("failed");
        node.Play("c2", views);
        var r = Run(node, cli, "campaign", "status", "c2", "--watch", "--json");
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        Assert.True(JsonNode.DeepEquals(views[^1], JsonNode.Parse(r.Stdout)), r.Stdout);
    }

    [Fact]
    public async Task A_campaign_that_ended_with_a_host_still_on_a_step_is_watched_until_that_host_answers()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Play("c6",
            CampaignView("c6", "aborted", [new("sim-0001", 1, "running", "snapshot", 1, 2)], halted: "aborted"),
            CampaignView("c6", "aborted", [new("sim-0001", 1, "succeeded", "snapshot", 1, 2, "taken")], halted: "aborted"));
        var r = Run(node, cli, "campaign", "status", "c6", "--watch");
        Assert.True(r.ExitCode == 3, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        Assert.EndsWith("c6 sim-0001: succeeded at snapshot: taken\nc6: aborted; 1 succeeded\n", r.Stdout);
        Assert.Equal(2, node.Requests.Count);
    }

    [Fact]
    public async Task Start_with_watch_prints_the_id_then_follows_the_campaign()
    {
        await using var node = await FakeFleetNode.StartAsync();
        using var cli = new RemoteCli(null);
        node.Accepted = new JsonObject { ["id"] = "c2", ["hosts"] = 2 };
        node.Play("c2", Rollback("completed"));
        var r = Run(node, cli, "campaign", "start", "rollback", "--of", "c1", "--watch");
        RemoteCli.AssertOk(r);
        Assert.StartsWith("c2\nc2: running\n", r.Stdout);
        Assert.EndsWith("c2: completed; 2 succeeded\n", r.Stdout);
        Assert.Equal(("POST", "/api/v1/campaigns"), (node.Requests[0].Method, node.Requests[0].Path));
    }
}
