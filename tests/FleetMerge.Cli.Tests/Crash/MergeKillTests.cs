using Xunit.Abstractions;

namespace FleetMerge.Cli.Tests.Crash;

/// <summary>
/// `cow merge` SIGKILLed at random instants, again and again, then run to the end: the origin must
/// hold exactly snapshot 1's view from before the merge, every store must verify clean after every
/// kill, snapshot 1 must read the same throughout, and snapshot 2 (--also) must never change.
/// Seeds are random per run and printed; FLEETMERGE_KILL_SEED replays one.
/// </summary>
public class MergeKillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 7)]
    public void Killed_merge_of_one_snapshot_resumes_to_the_snapshot_view(int trial, int maxKills)
    {
        output.WriteLine($"trial {trial}");
        Trial(false, maxKills);
    }

    /// <summary>The table ends exactly on an area boundary and each merge group empties exactly 16 whole areas.</summary>
    [Fact]
    public void Killed_merge_of_an_area_aligned_table_resumes_to_the_snapshot_view()
    {
        var before = Trial(null, 6, ScenarioShape.AreaAligned); // one or two snapshots, as the seed says
        Assert.Equal(12288, before.Exceptions);
        Assert.Equal(49, before.AreasUsed); // 48 full areas and the zeroed one after them
    }

    private MergeScenario.Inspection Trial(bool? twoSnapshots, int maxKills, ScenarioShape? shape = null)
    {
        int seed = KillSeeds.Next();
        using var s = MergeScenario.Create(seed, twoSnapshots, shape);
        MergeScenario.Inspection? before = null;
        KillTrial.Guard(s, output, () =>
        {
            var trial = new KillTrial(s, output);
            before = trial.Prepare();
            Assert.True(before.AreasUsed >= 4, $"scenario too small: {before.AreasUsed} areas");
            var rng = new Random(seed ^ 0x6b696c6c);
            trial.Run(rng, rng.Next(4, maxKills + 1));
            output.WriteLine($"{trial.Kills} kills, {trial.KillsWithProgress} of them after some batches were committed");
        });
        return before!;
    }

    internal static void RunTrial(ITestOutputHelper output, bool twoSnapshots, int maxKills)
        => new MergeKillTests(output).Trial(twoSnapshots, maxKills);
}

/// <summary>The same kill trials with a second snapshot (16K chunks, created part way through the writes) passed as --also.</summary>
public class MergeKillTwoSnapshotTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 6)]
    [InlineData(3, 7)]
    public void Killed_merge_with_a_second_snapshot_resumes_and_keeps_its_view(int trial, int maxKills)
    {
        output.WriteLine($"trial {trial}");
        MergeKillTests.RunTrial(output, true, maxKills);
    }
}

/// <summary>SIGINT/SIGTERM stop the merge between groups (exit 130, resumable); the origin reads right mid-merge.</summary>
public class MergeSignalTests(ITestOutputHelper output)
{
    /// <summary>A table of at least 10000 4K exceptions (three groups and more) plus fragments.</summary>
    private static readonly ScenarioShape Large = new(48, 64, 3, 8, 200, 100, 300, BulkChunks: 10000);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_stops_the_merge_between_groups_with_exit_130_and_a_rerun_completes(string signal)
    {
        int seed = KillSeeds.Next();
        string? exitProblem = null;
        using (var s = MergeScenario.Create(seed, twoSnapshots: false, Large))
        {
            KillTrial.Guard(s, output, () =>
            {
                var trial = new KillTrial(s, output);
                long initial = trial.Prepare().Exceptions;
                // Each group (<= 4096 chunks) takes at most ~1 s, the whole merge ~2.5 s.
                long rate = initial * MergeScenario.Chunk1 * 2 / 5;
                int code;
                string stderr;
                using (var child = CliChild.Start(s.Dir, s.MergeArgs(rate, "--progress")))
                {
                    // The first progress line comes after the first group: the handlers are surely installed.
                    Assert.True(child.WaitForStderrLines(1, TimeSpan.FromSeconds(30)), $"no progress line: {child.Stderr}");
                    child.Signal(signal);
                    code = child.WaitForExit(TimeSpan.FromSeconds(30));
                    stderr = child.Stderr.Trim();
                    output.WriteLine($"SIG{signal} after {child.Clock.Elapsed.TotalSeconds:F2}s: exit {code}; stderr: {stderr}");
                }
                long left = trial.CheckTables("after the signal");
                if (code != 130 || !stderr.Contains("merge interrupted", StringComparison.Ordinal))
                    exitProblem = $"SIG{signal}: expected exit 130 with 'merge interrupted …' on stderr (stopped between groups), got exit {code}" +
                                  (code > 128 ? $" (128+{code - 128}: killed by signal {code - 128}?)" : "") + $", {left}/{initial} exceptions left; stderr: {stderr}";
                Assert.True(left > 0 && left < initial, $"{left} of {initial} exceptions left after the signal");
                // Whatever the exit, the files must be as consistent as after a kill, and a rerun must finish.
                trial.CheckVerify("after the signal");
                trial.CheckViews("after the signal");
                trial.Finish();
            });
        }
        Assert.True(exitProblem is null, $"seed {seed}: {exitProblem} (the files were fine and the rerun completed)");
    }

    [Fact]
    public void After_a_kill_mid_merge_the_snapshot_view_is_already_the_merged_origin()
    {
        int seed = KillSeeds.Next();
        using var s = MergeScenario.Create(seed, twoSnapshots: true, Large);
        KillTrial.Guard(s, output, () =>
        {
            var trial = new KillTrial(s, output);
            long initial = trial.Prepare().Exceptions;
            long rate = initial * MergeScenario.Chunk1 * 2 / 5;
            using (var child = CliChild.Start(s.Dir, s.MergeArgs(rate, "--progress")))
            {
                Assert.True(child.WaitForStderrLines(1, TimeSpan.FromSeconds(30)), $"no progress line: {child.Stderr}");
                Thread.Sleep(Random.Shared.Next(0, 300)); // somewhere inside the second group
                Assert.True(child.KillHard(), "the merge finished before the kill");
            }
            var mid = s.Inspect(s.Cow1);
            output.WriteLine($"killed mid-merge: {mid.Exceptions}/{initial} exceptions left, status {mid.Status}");
            Assert.True(mid.Exceptions > 0 && mid.Exceptions < initial);

            // The origin image alone is half merged; through snapshot 1 it reads as the final origin.
            var raw = File.ReadAllBytes(s.Origin);
            Assert.False(raw.AsSpan().SequenceEqual(s.Snap1Model), "origin already fully merged");
            Assert.False(raw.AsSpan().SequenceEqual(s.OriginModel), "origin untouched after a committed group");
            Assert.Equal(mid.Exceptions, trial.CheckTables("after a kill mid-merge"));
            trial.CheckVerify("after a kill mid-merge");
            trial.CheckViews("after a kill mid-merge");
            trial.Finish();
            trial.RunAgain();
        });
    }
}

/// <summary>
/// "Run the same command again" while the first run is still alive: an orphan left behind when a
/// wrapper is killed (`dotnet run`, a shell without exec), a SIGINT'd run still finishing its group,
/// or an impatient operator. The two runs must not both merge: either the second is refused or the
/// outcome is still exactly the snapshot's view.
/// </summary>
public class MergeConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public void A_second_merge_while_the_first_still_runs_cannot_corrupt_the_origin()
    {
        int seed = KillSeeds.Next();
        using var s = MergeScenario.Create(seed, twoSnapshots: false, new ScenarioShape(40, 48, 3, 8, 200, 50, 100, BulkChunks: 9000));
        KillTrial.Guard(s, output, () =>
        {
            var trial = new KillTrial(s, output);
            long initial = trial.Prepare().Exceptions;
            long rate = initial * MergeScenario.Chunk1 / 3; // the first run takes ~3 s
            using var first = CliChild.Start(s.Dir, s.MergeArgs(rate, "--progress"));
            Thread.Sleep(500);
            var second = CliProcess.Run(s.Dir, s.MergeArgs(null));
            output.WriteLine($"second run (while the first runs): exit {second.ExitCode}: {second.Stdout.Trim()} {second.Stderr.Trim()}");
            int code = first.WaitForExit(TimeSpan.FromMinutes(1));
            output.WriteLine($"first run: exit {code}: {first.Stdout.Trim()} {first.Stderr.Trim()}");
            Same(trial, "after two overlapping merge runs");
            trial.CheckVerify("after two overlapping merge runs");
            trial.Finish(); // whichever was refused, the command again finishes the job
        });
    }

    private static void Same(KillTrial trial, string when)
    {
        _ = trial.CheckTables(when);
        trial.CheckViews(when);
    }
}
