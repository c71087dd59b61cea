using System.Diagnostics;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// `cow write` through one or two snapshots, SIGKILLed at a random instant; then every store verifies
/// clean and stays valid, each image equals the model page by page before or after the killed write
/// (<see cref="WriteCheck"/>), and a follow-up write completes and is checked exactly.
/// </summary>
public sealed class CowWriteKillScenario : IScenario
{
    private readonly KillTally tally = new("the range as before", "the range part new", "the range all new");
    private double startupSeconds = 0.3;

    public string Name => "cow-write-kill";

    public string Description => "cow write (origin or snapshot, 1-2 COWs) SIGKILLed at a random instant: stores clean, views before-or-after per page, a follow-up write works";

    public ScenarioScale Scale => ScenarioScale.Engine;

    public int MaxParallel => Environment.ProcessorCount;

    /// <summary>
    /// Times the CLI's start-up (a `cow verify`), the span of the kills before a write begins, and
    /// checks once that a whole-origin write works at all.
    /// </summary>
    public Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        var images = new ModelledImages(Directory.CreateDirectory(Path.Combine(context.Dir, "calibration")).FullName);
        var random = new Random(context.Seed);
        images.CreateOrigin(random, 8 << 20);
        images.AddCow("a.cow", CowBytes(images.OriginBytes, 4096), 4096);
        var clock = Stopwatch.StartNew();
        Fleetmerge.Run("cow", "verify", images.Cows[0]).Ok();
        startupSeconds = clock.Elapsed.TotalSeconds;
        var write = new CowWrite(-1, 0, SeededBytes.Make(random, (int)images.OriginBytes), false, [0]);
        string[] args = write.Args(images, images.Dir);
        clock.Restart();
        Fleetmerge.Run(args).Ok();
        Directory.Delete(images.Dir, recursive: true);
        context.Progress($"start-up {startupSeconds:F2} s, a whole 8 MiB origin write through one COW {clock.Elapsed.TotalSeconds:F2} s");
        return Task.CompletedTask;
    }

    /// <summary>
    /// One kill in ten during start-up (before the write begins); the others once a random share of the
    /// bytes the write will pass to write(2) (data, copies into each COW, metadata) is out, up to a
    /// little more than all of it (then the write may finish first).
    /// </summary>
    private KillPoint KillAt(Random random, CowWrite write, int cows)
    {
        if (random.Next(10) == 0) return new KillPoint(TimeSpan.FromSeconds(random.NextDouble() * startupSeconds), null);
        long bytes = write.Length * (write.ToOrigin ? 1 + cows : 2);
        return new KillPoint(null, 1 + (long)(random.NextDouble() * 1.15 * bytes));
    }

    /// <summary>Room for every chunk of the origin plus its metadata areas: the COW never fills here.</summary>
    public static long CowBytes(long originBytes, int chunkBytes)
    {
        long chunks = (originBytes + chunkBytes - 1) / chunkBytes;
        long areas = chunks / (chunkBytes / 16) + 2;
        return (chunks + areas + 4) * chunkBytes;
    }

    public async Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel)
    {
        var random = trial.Random;
        var images = new ModelledImages(trial.Dir);
        long originBytes = ((long)random.Next(4, 25) << 20) + (random.Next(5) == 0 ? random.Next(1, 32) * 512L : 0);
        images.CreateOrigin(random, originBytes);
        int chunkA = 4096 << random.Next(4);
        images.AddCow("a.cow", CowBytes(originBytes, chunkA), chunkA);
        bool two = random.Next(2) == 0;
        int earlier = random.Next(2, 7), secondAt = random.Next(earlier + 1);
        for (int i = 0; i <= earlier; i++)
        {
            if (two && i == secondAt)
            {
                int chunkB = 4096 << (2 * random.Next(3)); // 4K, 16K, 64K
                images.AddCow("b.cow", CowBytes(originBytes, chunkB), chunkB);
            }
            if (i == earlier) break;
            var w = CowWrite.Random(random, images, originBytes / 2, toSnapshot: 0.3);
            if (w.ToOrigin) images.WriteOrigin(w.Offset, w.Data);
            else images.WriteSnapshot(w.Snapshot, w.Offset, w.Data);
        }
        if (images.Check("after the set-up writes (in-process)") is { } setUp) return TrialOutcome.Lost(setUp.Problem);

        var killed = CowWrite.Random(random, images, originBytes, toSnapshot: 0.3);
        var point = KillAt(random, killed, images.Cows.Count);
        trial.Log($"origin {originBytes} bytes, {images.Cows.Count} snapshot(s); {killed.Describe(images)}; SIGKILL {point}");
        var run = await KilledRun.RunAsync(point, killed.Args(images, trial.Dir), cancel);
        if (!run.Killed)
        {
            if (run.ExitCode != 0) return TrialOutcome.Failure($"cow write exited {run.ExitCode} before the kill: {Fleetmerge.OneLine(run.Stderr)}");
            tally.FinishedFirst();
            if (WriteCheck.Acknowledged(images, killed, "after the write finished before the kill") is { } done) return TrialOutcome.Lost(done.Problem);
        }
        else
        {
            var found = WriteCheck.Unacknowledged(images, killed, $"after SIGKILL {point} ({run.Written} written)");
            if (found.Problem is { } p) return TrialOutcome.Lost(p);
            if (found.NewPages == 0) tally.NothingChanged();
            else if (found.OldPages == 0) tally.AllDone();
            else tally.PartlyDone();
            trial.Log($"killed: {found.NewPages} page(s) of the range new, {found.OldPages} old");
        }
        // FleetMerge's own reader agrees with the model too (the checks above read independently).
        string viewPath = Path.Combine(trial.Dir, "view.img");
        if (ByteCompare.Exactly(images.Views[0], Fleetmerge.ReadView(images.Origin, images.Cows[0], viewPath)) is { } read)
            return TrialOutcome.Lost($"cow read of a.cow after the kill vs the model: {read}");

        var next = CowWrite.Random(random, images, originBytes / 2, toSnapshot: 0.3);
        trial.Log($"follow-up: {next.Describe(images)}");
        var after = Fleetmerge.Run(next.Args(images, trial.Dir));
        if (after.ExitCode != 0) return TrialOutcome.Failure($"the follow-up write after the kill exited {after.ExitCode}: {Fleetmerge.OneLine(after.Stderr)}");
        if (WriteCheck.Acknowledged(images, next, "after the follow-up write") is { } last) return TrialOutcome.Lost(last.Problem);
        return TrialOutcome.Passed;
    }

    public Task TearDownAsync(ScenarioContext context)
    {
        context.Progress(tally.ToString());
        return Task.CompletedTask;
    }
}
