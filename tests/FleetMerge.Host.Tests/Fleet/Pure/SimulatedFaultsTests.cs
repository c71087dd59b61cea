using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Simulated;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class SimulatedFaultsTests
{
    private static readonly IReadOnlyList<string> Ten = [.. Enumerable.Range(0, 10).Select(SimulatedFleet.HostId)];

    [Fact]
    public void The_brief_example_resolves_per_host()
    {
        var faults = SimulatedFaults.Parse("upgrade-fails=sim-0003,sim-0007;upgrade-breaks=10%;health-fails=sim-0002;slow=sim-0004:3s;crash-mid-merge=sim-0005;seed=42")
            .Resolve(Ten);
        Assert.Equal(new HostFaults(true, false, false, TimeSpan.Zero, false), faults["sim-0003"] with { UpgradeBreaks = false });
        Assert.True(faults["sim-0007"].UpgradeFails);
        Assert.True(faults["sim-0002"].HealthFails);
        Assert.Equal(TimeSpan.FromSeconds(3), faults["sim-0004"].Slow);
        Assert.True(faults["sim-0005"].CrashMidMerge);
        string broken = Assert.Single(faults, kv => kv.Value.UpgradeBreaks).Key;
        string[] named = ["sim-0002", "sim-0003", "sim-0004", "sim-0005", "sim-0007"];
        Assert.Equal(named.Append(broken).Distinct().Order(), faults.Where(kv => kv.Value != HostFaults.None).Select(kv => kv.Key).Order());
    }

    [Fact]
    public void Percentages_pick_the_same_hosts_for_the_same_seed_and_others_for_another()
    {
        string Picked(string text) => string.Join(",", SimulatedFaults.Parse(text).Resolve(Ten).Where(kv => kv.Value.HealthFails).Select(kv => kv.Key).Order());
        Assert.Equal(Picked("health-fails=30%;seed=7"), Picked("seed=7;health-fails=30%"));
        Assert.Equal(3, Picked("health-fails=30%;seed=7").Split(',').Length);
        var seeds = Enumerable.Range(1, 8).Select(s => Picked($"health-fails=30%;seed={s}")).Distinct().Count();
        Assert.True(seeds > 1, "different seeds pick different hosts");
        Assert.Single(SimulatedFaults.Parse("slow=1%:2s").Resolve(Ten).Values, f => f.Slow == TimeSpan.FromSeconds(2)); // at least one host
    }

    [Theory]
    [InlineData("upgrade-explodes=sim-0001", "simulated faults: unknown fault 'upgrade-explodes' (known: upgrade-fails, upgrade-breaks, health-fails, slow, crash-mid-merge, and seed)")]
    [InlineData("health-fails=host7", "simulated faults: health-fails: 'host7' is not a simulated host id (sim-0001, sim-0002, …) or a percentage")]
    [InlineData("slow=sim-0004", "simulated faults: slow: 'sim-0004' needs a duration (like sim-0004:3s)")]
    [InlineData("slow=sim-0004:fast", "simulated faults: slow: 'sim-0004:fast': 'fast' is not a duration (like 500ms, 3s, 1m)")]
    [InlineData("upgrade-breaks=150%", "simulated faults: upgrade-breaks: '150%': a percentage must be above 0% and at most 100%")]
    [InlineData("seed=x", "simulated faults: seed 'x': expected a whole number")]
    [InlineData("health-fails", "simulated faults: 'health-fails': expected fault=targets (like upgrade-fails=sim-0003,sim-0007)")]
    [InlineData("health-fails=", "simulated faults: health-fails: no targets (host ids like sim-0003, or a percentage like 10%)")]
    public void Bad_strings_fail_in_one_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => SimulatedFaults.Parse(text)).Message);

    [Fact]
    public void A_host_the_fleet_does_not_have_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => SimulatedFaults.Parse("crash-mid-merge=sim-0011").Resolve(Ten));
        Assert.Equal("simulated faults: crash-mid-merge: there is no host sim-0011 (the fleet has 10 simulated hosts, sim-0001 to sim-0010)", e.Message);
    }

    [Fact]
    public void No_faults_is_an_empty_string()
    {
        Assert.All(SimulatedFaults.Parse(null).Resolve(Ten).Values, f => Assert.Equal(HostFaults.None, f));
        Assert.All(SimulatedFaults.Parse(" ; ").Resolve(Ten).Values, f => Assert.Equal(HostFaults.None, f));
    }
}
