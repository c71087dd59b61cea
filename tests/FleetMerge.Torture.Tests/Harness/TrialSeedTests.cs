using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Tests.Harness;

public sealed class TrialSeedTests
{
    [Fact]
    public void A_seed_is_FNV_1a_of_run_scenario_and_trial_so_it_replays_on_any_machine()
    {
        // FNV-1a 32-bit of "7/x/3", computed by hand from the published constants, top bit cleared.
        uint hash = 2166136261;
        foreach (byte b in "7/x/3"u8) { hash ^= b; hash *= 16777619; }
        Assert.Equal((int)(hash & 0x7FFF_FFFF), TrialSeed.Of(7, "x", 3));
    }

    [Fact]
    public void Different_trials_and_scenarios_get_different_seeds()
    {
        var seeds = Enumerable.Range(0, 1000).Select(t => TrialSeed.Of(42, "cow-merge-kill", t))
            .Concat(Enumerable.Range(0, 1000).Select(t => TrialSeed.Of(42, "cow-write-kill", t))).ToHashSet();
        Assert.Equal(2000, seeds.Count);
    }
}
