using System.Text.Json;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// Snapshot before upgrade on the whole simulated fleet, with sim-0002's upgrade breaking it: the
/// failure budget halts the campaign, and a rollback by merge on reboot brings every origin back
/// byte for byte. The same with --auto-rollback, which rolls the failed host back by itself.
/// </summary>
[Collection(FleetNodeCollection.Name)]
public sealed class RollbackTests(BreakingFleet fleet, ITestOutputHelper output)
{
    private static readonly string[] Upgrade =
        ["snapshot", "--hosts", "env=sim", "--volumes", "vg0/root", "--size", "50%", "--upgrade", "--health", "--canary", "1", "--wave-size", "2", "--failure-budget", "0"];

    [Fact]
    public async Task The_failure_budget_halts_the_upgrade_and_a_rollback_restores_every_origin_byte_for_byte()
    {
        var before = fleet.OriginHashes();
        string c = fleet.Start(Upgrade);

        var watch = fleet.Watch(c);
        output.WriteLine(watch.ToString());
        Assert.True(watch.ExitCode == 3, watch.ToString());
        Assert.EndsWith($"{c}: failed; 1 failed, 2 skipped, 2 succeeded\n", watch.Stdout);
        Assert.Contains($"{c} sim-0002: failed at hook health: health hook failed: release {c} is BROKEN\n", watch.Stdout);

        var halted = fleet.Campaign(c);
        AssertHalted(c, halted);
        // The canary and wave 2 ran their upgrade; wave 3 never started.
        var upgraded = fleet.OriginHashes();
        foreach (string host in new[] { "sim-0001", "sim-0002", "sim-0003" })
            Assert.NotEqual(before[host], upgraded[host]);
        Assert.Equal(before["sim-0004"], upgraded["sim-0004"]);
        Assert.Equal(before["sim-0005"], upgraded["sim-0005"]);
        Assert.Equal([$"sim-0001/root-{c}.cow", $"sim-0002/root-{c}.cow", $"sim-0003/root-{c}.cow"], fleet.CowFiles());

        string r = fleet.Start("rollback", "--of", c);
        var rollback = fleet.Completed(r);
        output.WriteLine(rollback.ToString());
        Assert.Equal("rollback", rollback.GetProperty("spec").GetProperty("kind").GetString());
        Assert.Equal(c, rollback.GetProperty("spec").GetProperty("of").GetString());
        // Only the hosts that have c's snapshot are rolled back.
        Assert.Equal(new Dictionary<string, string> { ["sim-0001"] = "succeeded", ["sim-0002"] = "succeeded", ["sim-0003"] = "succeeded" }, FleetNode.Outcomes(rollback));

        Assert.Equal(before, fleet.OriginHashes());
        Assert.Empty(fleet.CowFiles());
        await AssertEveryHostIdleWithItsOriginOnly();
    }

    [Fact]
    public async Task Auto_rollback_starts_a_follow_up_that_rolls_the_failed_host_back()
    {
        var before = fleet.OriginHashes();
        string c = fleet.Start([.. Upgrade, "--auto-rollback"]);
        var watch = fleet.Watch(c);
        Assert.True(watch.ExitCode == 3, watch.ToString());
        AssertHalted(c, fleet.Campaign(c));

        // The coordinator starts the follow-up once the campaign has ended.
        string? followUp = null;
        await Eventually.Until($"{c} names its follow-up", () =>
        {
            var view = fleet.Campaign(c);
            followUp = view.GetProperty("follow_up").GetString();
            return (followUp is not null, view.ToString());
        });
        var rollback = fleet.Completed(followUp!);
        output.WriteLine(rollback.ToString());
        Assert.Equal("rollback", rollback.GetProperty("spec").GetProperty("kind").GetString());
        Assert.Equal(c, rollback.GetProperty("spec").GetProperty("of").GetString());
        Assert.Equal(new Dictionary<string, string> { [BreakingFleet.Broken] = "succeeded" }, FleetNode.Outcomes(rollback));
        Assert.Contains(followUp!, fleet.Ok("campaign", "status", c).Stdout);

        // The broken host is back; the hosts that passed keep their upgrade and c's snapshot.
        var now = fleet.OriginHashes();
        Assert.Equal(before[BreakingFleet.Broken], now[BreakingFleet.Broken]);
        Assert.NotEqual(before["sim-0001"], now["sim-0001"]);
        Assert.NotEqual(before["sim-0003"], now["sim-0003"]);
        Assert.Equal([$"sim-0001/root-{c}.cow", $"sim-0003/root-{c}.cow"], fleet.CowFiles());

        // Then the operator rolls the rest back: the broken host's snapshot is already merged and counts as done.
        var rest = fleet.Completed(fleet.Start("rollback", "--of", c));
        Assert.All(FleetNode.Outcomes(rest).Values, o => Assert.Equal("succeeded", o));
        Assert.Equal(before, fleet.OriginHashes());
        Assert.Empty(fleet.CowFiles());
        await AssertEveryHostIdleWithItsOriginOnly();
    }

    private void AssertHalted(string c, JsonElement view)
    {
        Assert.Equal("failed", view.GetProperty("state").GetString());
        string halted = view.GetProperty("halted").GetString()!;
        Assert.Contains("failure budget spent", halted);
        Assert.Contains(BreakingFleet.Broken, halted);
        Assert.Equal(1, view.GetProperty("failures_seen").GetInt32());
        Assert.Equal(0, view.GetProperty("failures_allowed").GetInt32());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["sim-0001"] = "succeeded", ["sim-0002"] = "failed", ["sim-0003"] = "succeeded", ["sim-0004"] = "skipped", ["sim-0005"] = "skipped",
            },
            FleetNode.Outcomes(view));
        Assert.Contains("BROKEN", FleetNode.HostEntry(view, BreakingFleet.Broken).GetProperty("detail").GetString());
        Assert.Contains("halted", FleetNode.HostEntry(view, "sim-0005").GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, FleetNode.HostEntry(view, "sim-0005").GetProperty("started_at").ValueKind);
        var waves = view.GetProperty("waves").EnumerateArray().ToList();
        Assert.Equal(["canary", "wave 2", "wave 3"], waves.Select(w => w.GetProperty("name").GetString()));
        Assert.Equal(["sim-0001"], waves[0].GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains(view.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("what").GetString()!.StartsWith("halted: ", StringComparison.Ordinal));
        Assert.Equal(c, view.GetProperty("id").GetString());
    }

    /// <summary>Each host reports after its last step; the registry may hear it just after the campaign ended.</summary>
    private Task AssertEveryHostIdleWithItsOriginOnly() => fleet.EveryHostIdleWithItsOriginOnly();
}
