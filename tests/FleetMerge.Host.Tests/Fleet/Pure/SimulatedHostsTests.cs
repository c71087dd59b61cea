using System.Security.Cryptography;
using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Simulated;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class SimulatedHostsTests
{
    private static SimulatedHostSpec Host(string id = "sim-0001", long origin = 4 << 20, int pages = 64, int pageBytes = 4096) =>
        new(id, 0, new Dictionary<string, string>(), "/tmp/x", origin, 64 << 20, pages, pageBytes, HostFaults.None);

    [Fact]
    public void Hosts_are_numbered_and_labelled()
    {
        var hosts = SimulatedFleet.Hosts(new SimulatedFleetSettings(4, "/data") { ExtraLabels = new Dictionary<string, string> { ["site"] = "lab", ["env"] = "sim-lab" }, Faults = "health-fails=sim-0004" });
        Assert.Equal(["sim-0001", "sim-0002", "sim-0003", "sim-0004"], hosts.Select(h => h.HostId));
        Assert.Equal("canary=true,env=sim-lab,rack=r0,site=lab", string.Join(",", hosts[0].Labels.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal("canary=true,env=sim-lab,rack=r1,site=lab", string.Join(",", hosts[1].Labels.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal("env=sim-lab,rack=r2,site=lab", string.Join(",", hosts[2].Labels.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal("/data/sim/sim-0004/vgs", hosts[3].VgsDirectory);
        Assert.True(hosts[3].Faults.HealthFails);
        Assert.Equal((4L << 20, 64L << 20), (hosts[0].OriginBytes, hosts[0].CapacityBytes));
    }

    [Fact]
    public void Bad_fleet_settings_fail_in_one_line()
    {
        Assert.Equal("simulated hosts: the disk capacity (1048576) is smaller than the origin (4194304)",
            Assert.Throws<ArgumentException>(() => SimulatedFleet.Hosts(new SimulatedFleetSettings(1, "/d") { CapacityBytes = 1 << 20 })).Message);
        Assert.StartsWith("simulated faults: ", Assert.Throws<FormatException>(() => SimulatedFleet.Hosts(new SimulatedFleetSettings(2, "/d") { Faults = "slow=sim-0003:1s" })).Message);
    }

    [Fact]
    public void The_image_is_seeded_by_the_host_id_page_by_page()
    {
        var a = SimulatedDisk.Image("sim-0001", 1 << 20);
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(SimulatedDisk.Image("sim-0001", 1 << 20)));
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(SimulatedDisk.Image("sim-0002", 1 << 20)));
        var page = new byte[8192];
        SimulatedDisk.Pattern("sim-0001", 12288, page);
        Assert.Equal(a.AsSpan(12288, 8192).ToArray(), page);
        Assert.NotEqual(a.AsSpan(0, 4096).ToArray(), a.AsSpan(4096, 4096).ToArray());
    }

    [Fact]
    public void A_release_has_distinct_pages_away_from_the_header_the_same_every_time()
    {
        var host = Host();
        var offsets = SimulatedRelease.PageOffsets(host, "c1");
        Assert.Equal(64, offsets.Count);
        Assert.Equal(64, offsets.Distinct().Count());
        Assert.All(offsets, o => Assert.True(o >= 4096 && o < host.OriginBytes && o % 4096 == 0, $"offset {o}"));
        Assert.Equal(offsets, SimulatedRelease.PageOffsets(host, "c1"));
        Assert.NotEqual(offsets, SimulatedRelease.PageOffsets(host, "c2"));
        Assert.NotEqual(offsets, SimulatedRelease.PageOffsets(Host("sim-0002"), "c1"));
        // More pages asked than the origin holds: every page but the header's.
        Assert.Equal([.. Enumerable.Range(1, 5).Select(i => (long)i << 22)], SimulatedRelease.PageOffsets(Host(origin: 24 << 20, pages: 9, pageBytes: 4 << 20), "c1").Order());
    }

    [Fact]
    public void The_header_says_which_release_and_whether_it_is_broken()
    {
        Assert.Equal(new ReleaseHeader("sim-0001", "c7", false), SimulatedRelease.Read(SimulatedRelease.Header("sim-0001", "c7", broken: false)));
        Assert.Equal(new ReleaseHeader("sim-0001", "c7", true), SimulatedRelease.Read(SimulatedRelease.Header("sim-0001", "c7", broken: true)));
        Assert.Null(SimulatedRelease.Read(SimulatedDisk.Image("sim-0001", 4096)));
    }
}
