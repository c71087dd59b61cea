using FleetMerge.Storage.Tests.Crash;

namespace FleetMerge.Torture.Tests.PowerLoss;

/// <summary>The power failure the torture trials use: torn writes keep whole sectors, unflushed writes survive as any subset.</summary>
public sealed class LossModelTests
{
    private const int Sector = 512;

    [Fact]
    public void A_torn_write_reaches_the_media_as_a_prefix_of_whole_sectors_and_nothing_more()
    {
        var prefixes = new HashSet<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            var disk = new CrashingDisk(new CrashPlan(2, LossModel.DropUnflushed, seed, tearInFlight: true));
            var file = disk.Add("d", new byte[16 * Sector]);
            file.Flush();
            Assert.Throws<SimulatedCrash>(() => file.Write(2 * Sector, Enumerable.Repeat((byte)0xAB, 8 * Sector).ToArray()));
            byte[] after = disk.AfterReboot()[0];
            int landed = after.AsSpan(2 * Sector).IndexOfAnyExcept((byte)0xAB);
            Assert.Equal(0, landed % Sector);
            Assert.True(after.AsSpan(2 * Sector + landed).IndexOfAnyExcept((byte)0) < 0, $"seed {seed}: bytes after the torn prefix reached the media");
            Assert.True(after.AsSpan(0, 2 * Sector).IndexOfAnyExcept((byte)0) < 0);
            prefixes.Add(landed / Sector);
        }
        Assert.Equal(Enumerable.Range(0, 9).ToHashSet(), prefixes); // none, some and all of the 8 sectors
    }

    [Fact]
    public void An_unaligned_torn_write_stops_at_a_device_sector_boundary()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var disk = new CrashingDisk(new CrashPlan(1, LossModel.KeepUnflushed, seed, tearInFlight: true));
            var file = disk.Add("d", new byte[8 * Sector]);
            Assert.Throws<SimulatedCrash>(() => file.Write(100, Enumerable.Repeat((byte)1, 2000).ToArray()));
            byte[] after = disk.AfterReboot()[0];
            int landed = after.AsSpan(100, 2000).IndexOfAnyExcept((byte)1) is var i && i >= 0 ? i : 2000;
            Assert.True(landed == 0 || landed == 2000 || (100 + landed) % Sector == 0, $"seed {seed}: the tear ends at byte {100 + landed}, inside a sector");
        }
    }

    [Fact]
    public void Unflushed_writes_survive_as_a_random_subset_and_flushed_ones_always()
    {
        var subsets = new HashSet<string>();
        for (int seed = 0; seed < 100; seed++)
        {
            var disk = new CrashingDisk(new CrashPlan(8, LossModel.RandomUnflushed, seed));
            var file = disk.Add("d", new byte[8 * Sector]);
            file.Write(0, Enumerable.Repeat((byte)1, Sector).ToArray());
            file.Flush();
            for (int s = 1; s <= 5; s++) file.Write(s * Sector, Enumerable.Repeat((byte)(s + 1), Sector).ToArray());
            Assert.Throws<SimulatedCrash>(() => file.Flush());
            byte[] after = disk.AfterReboot()[0];
            Assert.Equal(1, after[0]);
            var kept = new List<int>();
            for (int s = 1; s <= 5; s++)
            {
                byte b = after[s * Sector];
                Assert.True(b == 0 || b == s + 1, $"seed {seed}: sector {s} holds {b}, neither old nor written");
                Assert.True(after.AsSpan(s * Sector, Sector).IndexOfAnyExcept(b) < 0);
                if (b != 0) kept.Add(s);
            }
            subsets.Add(string.Join(",", kept));
        }
        Assert.True(subsets.Count > 10, $"only {subsets.Count} different subsets in 100 power failures");
        Assert.Contains("", subsets);
    }

    [Fact]
    public void Overlapping_survivors_land_oldest_first()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var disk = new CrashingDisk(new CrashPlan(3, LossModel.RandomUnflushed, seed));
            var file = disk.Add("d", new byte[Sector]);
            file.Write(0, Enumerable.Repeat((byte)1, Sector).ToArray());
            file.Write(0, Enumerable.Repeat((byte)2, Sector).ToArray());
            Assert.Throws<SimulatedCrash>(() => file.Flush());
            Assert.Contains(disk.AfterReboot()[0][0], new byte[] { 0, 1, 2 });
        }
    }
}
