using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// `cow write` onto a small tmpfs filled part way by a filler file of random size, so ENOSPC strikes at
/// a random point: either a sparse COW (made by `cow format`) lives there and the copies of old chunks
/// or the snapshot write need new blocks, or a sparse origin does and the write fills its holes. The
/// command must exit 0 or fail with one line naming the full disk; after the filler is deleted every
/// store verifies clean and stays valid, the images are before-or-after the write page by page
/// (<see cref="WriteCheck"/>), and the same write, run again, completes and is checked exactly.
/// </summary>
public sealed class DiskFullWriteScenario : DiskFullScenario
{
    private int sparseCow, sparseOrigin, failed, fitted;

    public override string Name => "disk-full-write";

    public override string Description => "cow write to a sparse COW or origin on a nearly full tmpfs: one clear error line, nothing acknowledged lost, the rerun completes";

    protected override string Tally => $"sparse COW {sparseCow}, sparse origin {sparseOrigin}; the write failed on the full disk {failed}, fitted {fitted}";

    protected override TrialOutcome Run(TrialContext trial)
    {
        var random = trial.Random;
        bool cowThere = random.Next(2) == 0;
        long originBytes = ((long)random.Next(1, 5) << 20) + (random.Next(5) == 0 ? random.Next(1, 32) * 512L : 0);
        int chunk = 4096 << random.Next(3);
        long cowBytes = CowWriteKillScenario.CowBytes(originBytes, chunk);
        long kib = ((cowThere ? cowBytes : originBytes) >> 10) + 64;
        using var tmpfs = Tmpfs.Mount(Path.Combine(trial.Dir, "small"), kib);
        var images = new ModelledImages(trial.Dir) { Origin = Path.Combine(cowThere ? trial.Dir : tmpfs.Dir, "origin.img") };
        if (cowThere)
        {
            images.CreateOrigin(random, originBytes);
            string cow = Path.Combine(tmpfs.Dir, "a.cow");
            Fleetmerge.Run("cow", "format", cow, "--size", Fleetmerge.Text(cowBytes), "--chunk-size", $"{chunk / 1024}K").Ok();
            images.AddFormatted(cow);
            Interlocked.Increment(ref sparseCow);
        }
        else
        {
            images.CreateSparseOrigin(originBytes);
            images.AddCow("a.cow", cowBytes, chunk);
            Interlocked.Increment(ref sparseOrigin);
        }
        // A few small writes first: some exceptions exist, some origin holes are filled.
        for (int i = random.Next(1, 5); i > 0; i--)
        {
            var w = CowWrite.Random(random, images, 64 << 10, toSnapshot: cowThere ? 0.3 : 0);
            if (w.ToOrigin) images.WriteOrigin(w.Offset, w.Data);
            else images.WriteSnapshot(w.Snapshot, w.Offset, w.Data);
        }
        if (images.Check("after the set-up writes (in-process)") is { } setUp) return TrialOutcome.Lost(setUp.Problem);

        var write = CowWrite.Random(random, images, originBytes, toSnapshot: cowThere ? 0.3 : 0);
        // Leave free a random share of (a little more than) what the write may allocate.
        long filler = Math.Max(0, tmpfs.Free - (long)(random.NextDouble() * 1.2 * (write.Length + 2 * chunk)));
        string fillerPath = tmpfs.Fill(filler);
        trial.Log($"{(cowThere ? "sparse COW" : "sparse origin")} on a {kib} KiB tmpfs, {filler} bytes of filler, {tmpfs.Free} free; {write.Describe(images)}");
        string[] args = write.Args(images, trial.Dir);
        var run = Fleetmerge.Run(args);
        trial.Log($"exit {run.ExitCode}: {Fleetmerge.OneLine(run.Stderr)}");
        if (run.ExitCode != 0)
        {
            Interlocked.Increment(ref failed);
            if (run.ExitCode != 3) return TrialOutcome.Failure($"cow write on a full disk exited {run.ExitCode}, not 3: {Fleetmerge.OneLine(run.Stderr)}");
            if (ErrorLine.DiskFull(run.Stderr) is { } bad) return TrialOutcome.Failure($"cow write on a full disk: {bad}");
        }
        else Interlocked.Increment(ref fitted);
        File.Delete(fillerPath);

        if (run.ExitCode == 0)
            return WriteCheck.Acknowledged(images, write, "after the write that fitted") is { } done ? TrialOutcome.Lost(done.Problem) : TrialOutcome.Passed;
        var found = WriteCheck.Unacknowledged(images, write, "after the write failed on the full disk and the filler was deleted");
        if (found.Problem is { } p) return TrialOutcome.Lost(p);
        var again = Fleetmerge.Run(write.Args(images, trial.Dir));
        if (again.ExitCode != 0) return TrialOutcome.Failure($"the same write with space freed exited {again.ExitCode}: {Fleetmerge.OneLine(again.Stderr)}");
        return WriteCheck.Acknowledged(images, write, "after the same write ran again with space freed") is { } last ? TrialOutcome.Lost(last.Problem) : TrialOutcome.Passed;
    }
}
