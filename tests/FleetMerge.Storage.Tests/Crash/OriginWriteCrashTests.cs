using Xunit.Abstractions;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>
/// Scenario A: only the origin is written (300 writes: aligned multi-chunk, sub-chunk, unaligned
/// across chunks, rewrites, flushes), with one or two snapshots of 4K and 16K chunks. The power fails at
/// every write/flush operation in turn, under both loss models; after the reboot every store must verify
/// clean and still say valid, every snapshot view must equal the origin as it was when the snapshot was
/// taken, every origin block must be some prefix of its writes (flushed ones present), and the engine must
/// go on working on the recovered disk.
/// </summary>
public class OriginWriteCrashTests(ITestOutputHelper output)
{
    public static readonly LossModel[] Models = [LossModel.KeepUnflushed, LossModel.DropUnflushed];

    public static readonly string[] ConfigNames = ["4K", "16K", "4K+16K"];

    public static TheoryData<string> Configs => new(ConfigNames);

    internal static int[] ChunkSizes(string config) => config.Split('+').Select(c => int.Parse(c.TrimEnd('K')) * 1024).ToArray();

    internal static SweepResult Sweep(string config) =>
        CrashSweep.Cached(() => CrashScenario.OriginWrites(ChunkSizes(config)), "A " + config, Models);

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_crash_point_leaves_clean_stores_intact_snapshot_views_and_a_working_engine(string config)
    {
        var r = Sweep(config);
        output.WriteLine(r.Summary());
        Assert.True(r.TotalOps > 100, $"only {r.TotalOps} operations");
        Assert.Equal(r.TotalOps * Models.Length, r.Runs);
        var failures = r.FailuresOf(SweepResult.AllChecks);
        Assert.True(failures.Count == 0, SweepResult.Describe(failures));
    }

    [Fact]
    public void The_4K_workload_fills_metadata_area_0_and_goes_on_in_area_1()
    {
        foreach (string config in new[] { "4K", "4K+16K" })
        {
            var r = Sweep(config);
            var sizes = ChunkSizes(config);
            for (int k = 0; k < sizes.Length; k++)
                if (sizes[k] == 4096)
                    Assert.True(r.FinalCurrentArea[k] >= 1, $"{config}: cow{k} ends in area {r.FinalCurrentArea[k]}");
        }
    }

    [Fact]
    public void No_crash_leaves_an_exception_pointing_at_cow_data_other_than_the_old_origin_chunk()
    {
        foreach (string config in ConfigNames)
        {
            var r = Sweep(config);
            Assert.True(r.Checked.GetValueOrDefault(Checks.EntryData) > 0, $"{config}: no table entry was checked");
            var failures = r.FailuresOf(Checks.EntryData, Checks.ExceptionDurable, Checks.PhantomException);
            Assert.True(failures.Count == 0, $"{config}: {SweepResult.Describe(failures)}");
        }
    }

    [Fact]
    public void Status_line_after_reopen_equals_a_fresh_load_of_the_table()
    {
        foreach (string config in ConfigNames)
        {
            var r = Sweep(config);
            Assert.True(r.Checked.GetValueOrDefault(Checks.Status) >= r.Runs, $"{config}: status checked only {r.Checked.GetValueOrDefault(Checks.Status)} times");
            var failures = r.FailuresOf(Checks.Status);
            Assert.True(failures.Count == 0, $"{config}: {SweepResult.Describe(failures)}");
        }
    }
}
