using Xunit.Abstractions;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>
/// Scenario B: writes through the snapshot (new exceptions and exceptions already there; sub-chunk,
/// multi-chunk, unaligned) mixed with origin writes, origin flushes and store flushes. After a crash at
/// any operation: stores clean and valid; each snapshot chunk holds a value its view had over the
/// sequence, up to the crashed step, and no older than the last snapshot write followed by a completed
/// store flush (under KeepUnflushed: than the last returned write); the new exception of every snapshot
/// write that returned is in the table; origin blocks as in scenario A; the engine goes on working.
/// </summary>
public class SnapshotWriteCrashTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configs => new() { "4K", "4K+16K" };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_crash_point_keeps_snapshot_chunks_a_prefix_of_their_writes_with_flushed_writes_present(string config)
    {
        var r = CrashSweep.Cached(() => CrashScenario.MixedWrites(OriginWriteCrashTests.ChunkSizes(config)), "B " + config,
            OriginWriteCrashTests.Models);
        output.WriteLine(r.Summary());
        Assert.True(r.TotalOps > 100, $"only {r.TotalOps} operations");
        Assert.Equal(r.TotalOps * OriginWriteCrashTests.Models.Length, r.Runs);
        var failures = r.FailuresOf(SweepResult.AllChecks);
        Assert.True(failures.Count == 0, SweepResult.Describe(failures));
    }
}
