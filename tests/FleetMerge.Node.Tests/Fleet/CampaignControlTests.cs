using System.Text.Json;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// `campaign pause|resume|abort` through the CLI on a campaign that is surely still running: three
/// hosts that take 2 s more per step, one at a time (--max-in-flight 1), so the last host cannot
/// start before 8 s of running time (a step in flight may finish while paused, none starts).
/// Refusals are one line and exit 3.
/// </summary>
[Collection(FleetNodeCollection.Name)]
public sealed class CampaignControlTests(SlowFleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Pause_resume_and_abort_through_the_cli_and_their_refusals()
    {
        string c = fleet.Start("snapshot", "--hosts", $"host={string.Join('|', SlowFleet.SlowHosts)}", "--volumes", "vg0/root", "--size", "1M", "--max-in-flight", "1");

        Assert.Equal($"Campaign {c} is paused\n", fleet.Ok("campaign", "pause", c).Stdout);
        AssertRefused(fleet.Cli("campaign", "pause", c), $"campaign {c} is paused; only a running campaign can be paused");
        Assert.Equal("paused", fleet.Campaign(c).GetProperty("state").GetString());
        Assert.Contains("state paused;", fleet.Ok("campaign", "status", c).Stdout);

        var list = fleet.Json("campaign", "list", "--json").EnumerateArray().ToList();
        var mine = list.Single(s => s.GetProperty("id").GetString() == c);
        Assert.Equal("snapshot", mine.GetProperty("kind").GetString());
        Assert.Equal("paused", mine.GetProperty("state").GetString());
        Assert.Equal(3, mine.GetProperty("host_count").GetInt32());
        AssertNewestFirst(list);

        // Running again from here to the abort: two CLI calls, far less than the 6 s it takes sim-0005's turn to come.
        var resumed = fleet.Json("campaign", "resume", c, "--json");
        Assert.Equal("running", resumed.GetProperty("state").GetString());
        AssertRefused(fleet.Cli("campaign", "resume", c), $"campaign {c} is running; only a paused campaign can be resumed");

        Assert.Equal($"Campaign {c} is aborted\n", fleet.Ok("campaign", "abort", c).Stdout);
        var watch = fleet.Watch(c);
        output.WriteLine(watch.ToString());
        Assert.True(watch.ExitCode == 3, watch.ToString());
        Assert.StartsWith($"{c}: aborted", watch.Stdout);

        var view = fleet.Campaign(c);
        output.WriteLine(view.ToString());
        Assert.Equal("aborted", view.GetProperty("state").GetString());
        var outcomes = FleetNode.Outcomes(view);
        Assert.Equal(SlowFleet.SlowHosts, outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.All(outcomes.Values, o => Assert.Contains(o, new[] { "succeeded", "failed", "skipped" }));
        // One host at a time, each at least 4 s: the last one had not started when the abort came.
        var last = FleetNode.HostEntry(view, "sim-0005");
        Assert.Equal("skipped", last.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("started_at").ValueKind);
        var timeline = view.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("what").GetString()!).ToList();
        Assert.Contains("paused", timeline);
        Assert.Contains("resumed", timeline);
        Assert.Contains(timeline, t => t.StartsWith("aborted", StringComparison.Ordinal));
        Assert.Equal("aborted", fleet.Json("campaign", "list", "--json").EnumerateArray().Single(s => s.GetProperty("id").GetString() == c).GetProperty("state").GetString());

        AssertRefused(fleet.Cli("campaign", "abort", c), $"campaign {c} has ended (aborted); there is nothing to abort");
        AssertRefused(fleet.Cli("campaign", "resume", c), $"campaign {c} is aborted (ended)");

        // Leave the fleet as found: the snapshots the abort let finish go with a commit. On a slow machine the
        // abort can come while the first host is still in its preflight (it then stops there): no snapshot to commit.
        if (outcomes.ContainsValue("succeeded"))
            fleet.Completed(fleet.Start("commit", "--of", c));
        else
            AssertRefused(fleet.Cli("campaign", "start", "commit", "--of", c), $"of {c}: no host of campaign {c} has its snapshot");
        Assert.Empty(fleet.CowFiles());
        await fleet.EveryHostIdleWithItsOriginOnly();
    }

    [Theory]
    [InlineData("status")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("abort")]
    public void An_unknown_campaign_is_one_line_exit_3(string verb)
    {
        AssertRefused(fleet.Cli("campaign", verb, "c999"), "campaign c999: no such campaign");
    }

    private static void AssertNewestFirst(List<JsonElement> list)
    {
        var numbers = list.Select(s => int.Parse(s.GetProperty("id").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.OrderDescending(), numbers);
    }

    private static void AssertRefused(EndToEnd.EndToEndNode.Result r, string message)
    {
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Equal("", r.Stdout);
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"fleetmerge: {message}", line);
    }
}
