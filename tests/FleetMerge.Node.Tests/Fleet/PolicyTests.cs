using System.Text.Json;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>`fleetmerge policy …` on the real node: refusals add nothing; a policy runs now, names its snapshots after its campaigns and prunes beyond --keep.</summary>
[Collection(FleetNodeCollection.Name)]
public sealed class PolicyTests(BreakingFleet fleet, ITestOutputHelper output)
{
    [Theory]
    [InlineData("--cron", "61 3 * * *", "bad cron '61 3 * * *'")]
    [InlineData("--tz", "Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("--hosts", "rack", "host selector term 'rack'")]
    public void A_bad_policy_is_one_line_exit_3_and_nothing_is_added(string option, string value, string message)
    {
        var options = new Dictionary<string, string> { ["--cron"] = "0 3 * * *", ["--hosts"] = "env=sim", ["--volumes"] = "vg0/root", ["--size"] = "20%" };
        options[option] = value;
        var r = fleet.Cli(["policy", "add", "bad", .. options.SelectMany(o => new[] { o.Key, o.Value })]);
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Equal("", r.Stdout);
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fleetmerge: ", line);
        Assert.Contains(message, line);
        Assert.Equal(0, fleet.Json("policy", "list", "--json").GetArrayLength());
    }

    [Fact]
    public async Task A_policy_run_now_snapshots_its_hosts_and_a_second_run_prunes_the_first_beyond_keep_1()
    {
        string[] hosts = ["sim-0001", "sim-0004"];
        var before = fleet.OriginHashes();
        // Due once a year (3:00 on 1 January): no scheduled run gets in the way of the runs the test asks for.
        var added = fleet.Ok("policy", "add", "nightly", "--cron", "0 3 1 1 *", "--tz", "Europe/Berlin", "--hosts", "rack=r0",
            "--volumes", "vg0/root", "--size", "20%", "--keep", "1");
        Assert.StartsWith("Policy nightly added; next run ", added.Stdout);

        var show = fleet.Ok("policy", "show", "nightly").Stdout;
        Assert.Contains("schedule   0 3 1 1 * (Europe/Berlin)", show);
        Assert.Contains("hosts      rack=r0", show);
        Assert.Contains("retention  keep 1", show);
        var spec = fleet.Json("policy", "show", "nightly", "--json").GetProperty("spec");
        Assert.Equal(["vg0/root"], spec.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("20%", spec.GetProperty("size").GetString());
        Assert.Equal(1, spec.GetProperty("keep").GetInt32());
        Assert.Equal(["nightly"], fleet.Json("policy", "list", "--json").EnumerateArray().Select(p => p.GetProperty("spec").GetProperty("name").GetString()));

        string first = RunNow(hosts);
        Assert.Equal(hosts.Select(h => $"{h}/root-{first}.cow"), fleet.CowFiles());
        string second = RunNow(hosts);

        // Pruning runs at the scheduler's next tick after the second run's campaign ended.
        await Eventually.Until($"root-{first} pruned, root-{second} kept", () =>
        {
            var cows = fleet.CowFiles();
            return (cows.SequenceEqual(hosts.Select(h => $"{h}/root-{second}.cow")), string.Join(", ", cows));
        }, TimeSpan.FromSeconds(90));
        await Eventually.Until($"the hosts list only root and root-{second}", () =>
        {
            var names = hosts.Select(fleet.VolumeNames).ToList();
            return (names.All(n => n.SequenceEqual(["root", $"root-{second}"])), string.Join("; ", names.Select(n => string.Join(",", n))));
        });
        var runs = fleet.Json("policy", "show", "nightly", "--json").GetProperty("runs").EnumerateArray().ToList();
        output.WriteLine(string.Join("\n", runs));
        Assert.Equal([second, first], runs.Select(r => r.GetProperty("campaign_id").GetString()));

        var removed = fleet.Ok("policy", "remove", "nightly");
        Assert.Equal("Policy nightly removed; its snapshots stay\n", removed.Stdout);
        Assert.Equal(0, fleet.Json("policy", "list", "--json").GetArrayLength());
        var gone = fleet.Cli("policy", "show", "nightly");
        Assert.True(gone.ExitCode == 3, gone.ToString());
        Assert.Contains("policy 'nightly' not found", gone.Stderr);
        Assert.Equal(hosts.Select(h => $"{h}/root-{second}.cow"), fleet.CowFiles());

        // Leave the fleet as found: commit the last run's snapshots.
        fleet.Completed(fleet.Start("commit", "--of", second));
        Assert.Empty(fleet.CowFiles());
        Assert.Equal(before, fleet.OriginHashes());
        await fleet.EveryHostIdleWithItsOriginOnly();
    }

    private string RunNow(string[] hosts)
    {
        var r = fleet.Ok("policy", "run-now", "nightly");
        string id = r.Stdout.TrimEnd('\n');
        Assert.Matches("^c[0-9]+$", id);
        var campaign = fleet.Completed(id);
        Assert.Equal("nightly", campaign.GetProperty("spec").GetProperty("policy").GetString());
        Assert.Equal("snapshot", campaign.GetProperty("spec").GetProperty("kind").GetString());
        Assert.Equal(hosts.ToDictionary(h => h, _ => "succeeded"), FleetNode.Outcomes(campaign));
        // 20% of the 4 MiB origin, rounded up to whole sectors.
        Assert.Contains($"root-{id} taken (", FleetNode.HostEntry(campaign, hosts[0]).GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.String, campaign.GetProperty("ended_at").ValueKind);
        return id;
    }
}
