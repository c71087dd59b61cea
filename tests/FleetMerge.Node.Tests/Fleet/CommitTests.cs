using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>Commit: a snapshot campaign's snapshots go, and the origins stay as they are (with the upgrade, when there was one).</summary>
[Collection(FleetNodeCollection.Name)]
public sealed class CommitTests(BreakingFleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Commit_of_a_snapshot_campaign_removes_its_snapshots_and_leaves_the_origins_untouched()
    {
        var before = fleet.OriginHashes();
        string c = fleet.Start("snapshot", "--hosts", "env=sim", "--volumes", "vg0/root", "--size", "1M");
        var snapshot = fleet.Completed(c);
        Assert.All(FleetNode.Outcomes(snapshot).Values, o => Assert.Equal("succeeded", o));
        Assert.Equal(FleetNode.SimHosts.Select(h => $"{h}/root-{c}.cow"), fleet.CowFiles());
        await Eventually.Until($"sim-0004 lists root-{c}", () =>
        {
            var names = fleet.VolumeNames("sim-0004");
            return (names.SequenceEqual(["root", $"root-{c}"]), string.Join(",", names));
        });
        var row = fleet.Host("sim-0004").GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == $"root-{c}");
        Assert.Equal("root", row.GetProperty("origin").GetString());
        Assert.Equal(1 << 20, row.GetProperty("size_bytes").GetInt64());

        string k = fleet.Start("commit", "--of", c);
        var commit = fleet.Completed(k);
        output.WriteLine(commit.ToString());
        Assert.Equal(FleetNode.SimHosts, FleetNode.Outcomes(commit).Keys.Order(StringComparer.Ordinal));
        Assert.All(FleetNode.Outcomes(commit).Values, o => Assert.Equal("succeeded", o));
        Assert.Contains($"root-{c} removed", FleetNode.HostEntry(commit, "sim-0001").GetProperty("detail").GetString());

        Assert.Empty(fleet.CowFiles());
        Assert.Equal(before, fleet.OriginHashes());
        await fleet.EveryHostIdleWithItsOriginOnly();
    }

    [Fact]
    public async Task Commit_after_an_upgrade_keeps_the_upgrade()
    {
        // rack!=r1 leaves out sim-0002, whose upgrade breaks (and sim-0005).
        string[] hosts = ["sim-0001", "sim-0003", "sim-0004"];
        var before = fleet.OriginHashes();
        string c = fleet.Start("snapshot", "--hosts", "env=sim,rack!=r1", "--volumes", "vg0/root", "--size", "2M", "--upgrade", "--health");
        var snapshot = fleet.Completed(c);
        Assert.Equal(hosts, FleetNode.Outcomes(snapshot).Keys.Order(StringComparer.Ordinal));
        var upgraded = fleet.OriginHashes();
        foreach (string host in hosts) Assert.NotEqual(before[host], upgraded[host]);
        Assert.Equal(before["sim-0002"], upgraded["sim-0002"]);
        Assert.Equal(before["sim-0005"], upgraded["sim-0005"]);

        var commit = fleet.Completed(fleet.Start("commit", "--of", c));
        Assert.Equal(hosts, FleetNode.Outcomes(commit).Keys.Order(StringComparer.Ordinal));
        Assert.All(FleetNode.Outcomes(commit).Values, o => Assert.Equal("succeeded", o));

        Assert.Empty(fleet.CowFiles());
        Assert.Equal(upgraded, fleet.OriginHashes());
        await fleet.EveryHostIdleWithItsOriginOnly();
    }
}
