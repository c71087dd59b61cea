using System.Text.Json;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// `cow merge` into a sparse origin on a small tmpfs filled part way by a filler of random size: the
/// snapshot holds data (snapshot writes) where the origin has holes, so the merge must allocate and
/// ENOSPC strikes at a random point. The merge must exit 0 or fail with one line naming the full
/// disk; after the filler is deleted the stores verify clean, snapshot 1's table is a prefix of the
/// one before and its view unchanged, snapshot 2 (--also, on the ordinary disk) unchanged, and the
/// same merge run again completes with the origin equal to snapshot 1's view from before.
/// </summary>
public sealed class DiskFullMergeScenario : DiskFullScenario
{
    private int failed, fitted;

    public override string Name => "disk-full-merge";

    public override string Description => "cow merge into a sparse origin on a nearly full tmpfs: one clear error line, nothing lost, the rerun completes to the snapshot view";

    protected override string Tally => $"the merge failed on the full disk {failed}, fitted {fitted}";

    protected override TrialOutcome Run(TrialContext trial)
    {
        var random = trial.Random;
        long originBytes = ((long)random.Next(2, 7) << 20) + (random.Next(5) == 0 ? random.Next(1, 32) * 512L : 0);
        using var tmpfs = Tmpfs.Mount(Path.Combine(trial.Dir, "small"), (originBytes >> 10) + 64);
        var images = new ModelledImages(trial.Dir) { Origin = Path.Combine(tmpfs.Dir, "origin.img") };
        images.CreateSparseOrigin(originBytes);
        int chunk = 4096 << random.Next(3);
        images.AddCow("snap1.cow", CowWriteKillScenario.CowBytes(originBytes, chunk), chunk);
        bool two = random.Next(2) == 0;
        int writes = random.Next(4, 12), secondAt = random.Next(writes);
        for (int i = 0; i < writes; i++)
        {
            if (two && i == secondAt) images.AddCow("snap2.cow", CowWriteKillScenario.CowBytes(originBytes, 16384), 16384);
            // Mostly snapshot-1 writes: its data lands where the origin is a hole, which the merge must fill.
            int target = random.Next(3) == 0 ? -1 : (images.Cows.Count > 1 && random.Next(4) == 0 ? 1 : 0);
            long length = random.NextInt64(1, originBytes / 3);
            long offset = random.NextInt64(originBytes - length + 1);
            var data = SeededBytes.Make(random, (int)length);
            if (target < 0) images.WriteOrigin(offset, data);
            else images.WriteSnapshot(target, offset, data);
        }
        if (images.Check("the scenario before the merge (in-process writes)") is { } setUp) return TrialOutcome.Lost(setUp.Problem);
        byte[] expected1 = images.Views[0];
        var table1 = RawCow.Read(images.Cows[0]).Entries;
        string[] merge = ["cow", "merge", "--origin", images.Origin, "--cow", images.Cows[0], .. two ? new[] { "--also", images.Cows[1] } : [], "--json"];

        // Leave free a random share of (a little more than) what the merge may allocate: its chunks' bytes.
        long filler = Math.Max(0, tmpfs.Free - (long)(random.NextDouble() * 1.2 * table1.Count * chunk));
        string fillerPath = tmpfs.Fill(filler);
        trial.Log($"sparse origin {originBytes} bytes on a tmpfs, {(two ? 2 : 1)} snapshot(s), {table1.Count} exceptions, {filler} bytes of filler, {tmpfs.Free} free");
        var run = Fleetmerge.Run(merge);
        trial.Log($"merge: exit {run.ExitCode}: {Fleetmerge.OneLine(run.Stderr)}");
        if (run.ExitCode != 0)
        {
            Interlocked.Increment(ref failed);
            if (run.ExitCode != 3) return TrialOutcome.Failure($"cow merge on a full disk exited {run.ExitCode}, not 3: {Fleetmerge.OneLine(run.Stderr)}");
            if (ErrorLine.DiskFull(run.Stderr) is { } bad) return TrialOutcome.Failure($"cow merge on a full disk: {bad}");
        }
        else Interlocked.Increment(ref fitted);
        File.Delete(fillerPath);

        string when = run.ExitCode == 0 ? "after the merge that fitted" : "after the merge failed on the full disk and the filler was deleted";
        for (int i = 0; i < images.Cows.Count; i++)
        {
            if (images.Verify(i) is { } findings) return TrialOutcome.Lost($"{when}: {findings}");
            if (!RawCow.Read(images.Cows[i]).Valid) return TrialOutcome.Lost($"{when}: {Path.GetFileName(images.Cows[i])} was made invalid");
        }
        if (MergeTables.Shrunk(table1, RawCow.Read(images.Cows[0]).Entries) is { } shrunk) return TrialOutcome.Lost($"{when}: {shrunk}");
        for (int i = 0; i < images.Cows.Count; i++)
            if (ByteCompare.Exactly(images.Views[i], RawCow.View(images.Origin, images.Cows[i])) is { } v)
                return TrialOutcome.Lost($"{when}: snapshot {i + 1}'s view vs before the merge: {v}");

        if (run.ExitCode != 0)
        {
            var again = Fleetmerge.Run(merge);
            trial.Log($"merge again: exit {again.ExitCode}");
            if (again.ExitCode != 0) return TrialOutcome.Failure($"the same merge with space freed exited {again.ExitCode}: {Fleetmerge.OneLine(again.Stderr)}");
            run = again;
        }
        using (var json = JsonDocument.Parse(run.Stdout))
            if (!json.RootElement.GetProperty("complete").GetBoolean()) return TrialOutcome.Failure("the merge says complete = false");
        if (ByteCompare.Exactly(expected1, File.ReadAllBytes(images.Origin)) is { } o)
            return TrialOutcome.Lost($"merged origin vs snapshot 1's view before the merge: {o}");
        if (RawCow.Read(images.Cows[0]).Entries.Count is var left and > 0) return TrialOutcome.Failure($"{left} exceptions left after the merge");
        if (two && ByteCompare.Exactly(images.Views[1], RawCow.View(images.Origin, images.Cows[1])) is { } v2)
            return TrialOutcome.Lost($"snapshot 2's view after the merge: {v2}");
        return TrialOutcome.Passed;
    }
}
