using FleetMerge.Fleet.Campaigns;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class WavesTests
{
    [Fact]
    public void Canary_wave_first_then_waves_of_the_wave_size_by_host_id()
    {
        var waves = Waves.Split(HostIds(7).Reverse(), [], canary: 2, waveSize: 2);
        Assert.Equal(
            [(1, "canary", "sim-0001,sim-0002"), (2, "wave 2", "sim-0003,sim-0004"), (3, "wave 3", "sim-0005,sim-0006"), (4, "wave 4", "sim-0007")],
            waves.Select(w => (w.Number, w.Name, string.Join(",", w.Hosts))));
    }

    [Fact]
    public void Hosts_labelled_canary_are_preferred_for_the_canary_wave()
    {
        var waves = Waves.Split(HostIds(6), ["sim-0005", "sim-0009"], canary: 2, waveSize: 10);
        Assert.Equal(["sim-0001", "sim-0005"], waves[0].Hosts);
        Assert.Equal(["sim-0002", "sim-0003", "sim-0004", "sim-0006"], waves[1].Hosts);
    }

    [Fact]
    public void No_canary_wave_without_canaries_and_a_canary_larger_than_the_fleet_takes_every_host()
    {
        Assert.Equal(["wave 1"], Waves.Split(HostIds(3), [], 0, 5).Select(w => w.Name));
        Assert.Equal(["canary"], Waves.Split(HostIds(3), [], 8, 1).Select(w => w.Name));
    }

    [Fact]
    public void A_percentage_wave_size_is_rounded_up_so_no_wave_is_empty()
    {
        var plan = Plan(Snapshot(waveSize: "25%"), hosts: 10);
        Assert.Equal([3, 3, 3, 1], plan.Waves.Select(w => w.Hosts.Count));
        Assert.Equal(2, Plan(Snapshot(budget: "25%"), hosts: 10).FailuresAllowed); // budgets round down
    }

    [Property(MaxTest = 300)]
    public Property Every_host_is_in_exactly_one_non_empty_wave_in_order(PositiveInt hostCount, NonNegativeInt canary, PositiveInt waveSize, int labelSeed)
    {
        int n = Math.Min(hostCount.Get, 200);
        var hosts = HostIds(n);
        var labelled = hosts.Where((_, i) => ((i * 31) ^ labelSeed) % 5 == 0).ToList();
        var waves = Waves.Split(hosts, labelled, canary.Get % 20, Math.Min(waveSize.Get, 50));
        var all = waves.SelectMany(w => w.Hosts).ToList();
        bool partition = all.Count == n && all.Distinct().Count() == n && waves.All(w => w.Hosts.Count > 0);
        bool numbered = waves.Select(w => w.Number).SequenceEqual(Enumerable.Range(1, waves.Count));
        int canaries = Math.Min(canary.Get % 20, n);
        bool canaryPreferred = canaries == 0 || waves[0].Hosts.Count == canaries
            && labelled.Take(canaries).All(waves[0].Hosts.Contains);
        return (partition && numbered && canaryPreferred).Label($"{n} hosts, canary {canary.Get % 20}, wave size {waveSize.Get}: {string.Join(" | ", waves.Select(w => string.Join(",", w.Hosts)))}");
    }
}
