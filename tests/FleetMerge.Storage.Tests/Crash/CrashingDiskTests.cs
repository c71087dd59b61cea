namespace FleetMerge.Storage.Tests.Crash;

/// <summary>The fault-injection layer itself: operation numbering, what fails, what survives.</summary>
public class CrashingDiskTests
{
    private static (CrashingDisk Disk, CrashingBlockFile A, CrashingBlockFile B) Two(long crashAt, LossModel model)
    {
        var disk = new CrashingDisk(new CrashPlan(crashAt, model));
        return (disk, disk.Add("a", new byte[4096]), disk.Add("b", new byte[4096]));
    }

    private static byte[] Bytes(byte value, int length = 512) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void Writes_and_flushes_of_all_files_share_one_count_and_reads_are_not_counted()
    {
        var (disk, a, b) = Two(long.MaxValue, LossModel.KeepUnflushed);
        a.Write(0, Bytes(1));
        b.Write(0, Bytes(2));
        a.Read(0, new byte[512]);
        b.Flush();
        a.Flush();
        Assert.Equal(4, disk.Plan.Operations);
        Assert.False(disk.Plan.Crashed);
    }

    [Fact]
    public void Operation_N_and_every_later_one_throw_a_SimulatedCrash_and_change_nothing()
    {
        var (disk, a, b) = Two(3, LossModel.KeepUnflushed);
        a.Write(0, Bytes(1));
        b.Write(0, Bytes(2));
        var crash = Assert.Throws<SimulatedCrash>(() => a.Write(512, Bytes(3)));
        Assert.IsAssignableFrom<IOException>(crash);
        Assert.True(disk.Plan.Crashed);
        Assert.Throws<SimulatedCrash>(() => b.Write(512, Bytes(4)));
        Assert.Throws<SimulatedCrash>(() => a.Flush());
        Assert.Throws<SimulatedCrash>(() => b.Read(0, new byte[512]));
        Assert.Equal(3, disk.Plan.Operations);
        Assert.StartsWith("a: write", disk.Plan.CrashedOperation);
        var after = disk.AfterReboot();
        Assert.Equal(Bytes(1), after[0][..512]);
        Assert.Equal(Bytes(0), after[0][512..1024]);
        Assert.Equal(Bytes(2), after[1][..512]);
        Assert.Equal(Bytes(0), after[1][512..1024]);
    }

    [Fact]
    public void KeepUnflushed_keeps_every_completed_write()
    {
        var (disk, a, b) = Two(4, LossModel.KeepUnflushed);
        a.Write(0, Bytes(1));
        a.Write(0, Bytes(5, 256));
        b.Write(1024, Bytes(2));
        Assert.Throws<SimulatedCrash>(() => a.Flush());
        var after = disk.AfterReboot();
        Assert.Equal(Bytes(5, 256).Concat(Bytes(1, 256)), after[0][..512]);
        Assert.Equal(Bytes(2), after[1][1024..1536]);
    }

    [Fact]
    public void DropUnflushed_keeps_a_write_only_if_a_flush_of_the_same_file_completed_after_it()
    {
        var (disk, a, b) = Two(7, LossModel.DropUnflushed);
        a.Write(0, Bytes(1));      // 1: flushed by 3
        b.Write(0, Bytes(2));      // 2: flushed by 5
        a.Flush();                 // 3
        a.Write(512, Bytes(3));    // 4: only b is flushed after it
        b.Flush();                 // 5
        b.Write(0, Bytes(4));      // 6: its old bytes (2) come back
        Assert.Throws<SimulatedCrash>(() => a.Flush()); // 7: the crash, a's flush did not happen
        Assert.Equal(1, a.PendingWrites);
        var after = disk.AfterReboot();
        Assert.Equal(Bytes(1), after[0][..512]);
        Assert.Equal(Bytes(0), after[0][512..1024]);
        Assert.Equal(Bytes(2), after[1][..512]);
    }

    [Fact]
    public void DropUnflushed_undoes_overlapping_pending_writes_back_to_the_flushed_content()
    {
        var (disk, a, _) = Two(5, LossModel.DropUnflushed);
        a.Write(0, Bytes(1, 1024));
        a.Flush();
        a.Write(256, Bytes(2));
        a.Write(0, Bytes(3, 1024));
        Assert.Throws<SimulatedCrash>(() => a.Write(0, Bytes(9)));
        Assert.Equal(Bytes(1, 1024), disk.AfterReboot()[0][..1024]);
    }

    [Fact]
    public void NewestUnflushedOnly_keeps_the_last_pending_write_of_each_file_and_drops_the_earlier_ones()
    {
        var (disk, a, b) = Two(6, LossModel.NewestUnflushedOnly);
        a.Write(0, Bytes(1));
        a.Flush();
        a.Write(512, Bytes(2));   // dropped
        a.Write(1024, Bytes(3));  // the newest pending write of a: survives
        b.Write(0, Bytes(4));     // the only pending write of b: survives
        Assert.Throws<SimulatedCrash>(() => b.Flush());
        var after = disk.AfterReboot();
        Assert.Equal(Bytes(1), after[0][..512]);
        Assert.Equal(Bytes(0), after[0][512..1024]);
        Assert.Equal(Bytes(3), after[0][1024..1536]);
        Assert.Equal(Bytes(4), after[1][..512]);
    }
}
