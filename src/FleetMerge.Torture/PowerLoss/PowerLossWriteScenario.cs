using FleetMerge.Storage;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Volumes;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// power-loss-write: a random workload of origin and snapshot writes and flushes (1–2 snapshots, chunks
/// 4K–64K), the power failing at a random operation with a random subset of the unflushed writes kept and
/// the write in flight torn at a sector boundary. After the reboot the stores are reopened as after a real
/// crash and every sector of the origin and of every snapshot view must hold a version the model allows:
/// nothing older than what a completed flush covered, nothing newer than the step that was running, and a
/// snapshot view never changed by an origin write, returned or not. Then the engine goes on writing and
/// must match the model exactly.
/// </summary>
public sealed class PowerLossWriteScenario : InProcessScenario
{
    public override string Name => "power-loss-write";

    public override string Description => "origin/snapshot writes, power fails at a random operation (random unflushed subset kept, write in flight torn); reopen, every sector as the model allows";

    protected override TrialOutcome Run(TrialContext trial)
    {
        var rng = trial.Random;
        int originBytes = rng.Next(16, 1024) * 4096 + (rng.Next(4) == 0 ? rng.Next(1, 8) * 512 : 0);
        int snapshots = 1 + rng.Next(2);
        var (origin, chunks, cows) = Workload.Devices(rng, originBytes, snapshots);
        var w = new Workload
        {
            OriginBase = origin, ChunkBytes = chunks, CowBases = cows,
            Steps = Workload.RandomSteps(rng, originBytes, rng.Next(10, 90), snapshots, 0.35, 256 << 10),
        };
        var models = w.Models();
        var loss = LossChoice.Pick(rng);
        trial.Log($"{w.Describe()}; {loss}");

        var count = WriteRun.Execute(w, CrashPlan.Never());
        if (count.Problem is not null || count.Thrown is not null)
            return TrialOutcome.Failure($"the run without a crash failed: {count.Problem ?? count.Thrown!.Message}");
        if (Check(w, models, count.Images, w.Steps.Count, exact: true) is string clean)
            return TrialOutcome.Lost($"the run without a crash: {clean}");

        long n = 1 + rng.NextInt64(count.Disk.Plan.Operations);
        var run = WriteRun.Execute(w, loss.Plan(n));
        string where = $"{Reboot.Where(run.Disk, loss)}, during step {run.CrashedStep}" +
                       (run.CrashedStep < w.Steps.Count ? $" ({w.Steps[run.CrashedStep]})" : "");
        trial.Log(where);
        if (run.Problem is not null) return TrialOutcome.Failure($"{run.Problem} [{where}]");
        if (run.Thrown is not null && run.Thrown is not (SimulatedCrash or StorageException or IOException))
            return TrialOutcome.Failure($"step {run.CrashedStep} failed with {run.Thrown.GetType().Name}, not an I/O error: {run.Thrown.Message} [{where}]");
        try
        {
            return Check(w, models, run.Images, run.CrashedStep, exact: false) is string problem
                ? (problem.StartsWith("fsck:", StringComparison.Ordinal) ? TrialOutcome.Failure($"{problem} [{where}]") : TrialOutcome.Lost($"{problem} [{where}]"))
                : TrialOutcome.Passed;
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            return TrialOutcome.Failure($"after the reboot: {e.GetType().Name}: {e.Message} [{where}]");
        }
    }

    /// <summary>
    /// Reopens the images with the product code and checks them against the models; then writes on and
    /// checks again. <paramref name="exact"/>: no crash, every view must be the model's final one.
    /// </summary>
    private static string? Check(Workload w, SectorHistory[] models, byte[][] images, int crashedStep, bool exact)
    {
        var cowFiles = images.Skip(1).Select((c, k) => new MemoryBlockFile(c, $"cow{k}")).ToArray();
        if (Reboot.CowProblem(cowFiles, w.OriginBytes) is string fsck) return $"fsck: {fsck}";
        var originFile = new MemoryBlockFile(images[0], "origin");
        var origin = new Origin(originFile);
        var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
        var snapshots = stores.Select(origin.Attach).ToArray();

        var views = new byte[1 + snapshots.Length][];
        views[0] = new byte[w.OriginBytes];
        origin.Read(0, views[0]);
        for (int k = 0; k < snapshots.Length; k++)
        {
            views[1 + k] = new byte[w.OriginBytes];
            snapshots[k].Read(0, views[1 + k]);
        }
        for (int v = 0; v < views.Length; v++)
        {
            string name = v == 0 ? "origin" : $"snapshot {v - 1} view";
            if (exact)
            {
                if (!views[v].AsSpan().SequenceEqual(models[v].Final))
                    return $"{name} differs from the model at byte {views[v].AsSpan().CommonPrefixLength(models[v].Final)}";
            }
            else if (models[v].Check(views[v], crashedStep, models[v].LastFlushBefore(crashedStep)) is string bad)
                return $"{name} after the reboot: {bad}";
        }
        return exact ? null : WriteOn(w, origin, stores, snapshots, views, cowFiles);
    }

    /// <summary>
    /// The engine keeps working on the recovered disk (new exceptions after the recovered ones, chunks
    /// already mapped); the views must then be the recovered ones with these writes on top, exactly.
    /// </summary>
    private static string? WriteOn(Workload w, Origin origin, ExceptionStore[] stores, Snapshot[] snapshots, byte[][] views, MemoryBlockFile[] cowFiles)
    {
        var rng = new Random(views[0].Length ^ (int)views[0][0]);
        for (int i = 0; i < 6; i++)
        {
            int length = Math.Min(w.OriginBytes, 512 << rng.Next(7));
            long offset = (long)rng.Next((w.OriginBytes - length) / 512 + 1) * 512;
            byte[] data = new byte[length];
            rng.NextBytes(data);
            int target = rng.Next(1 + snapshots.Length);
            if (target == 0) origin.Write(offset, data);
            else snapshots[target - 1].Write(offset, data);
            data.CopyTo(views[target], offset);
        }
        origin.Flush();
        foreach (var s in stores) s.Flush();
        byte[] got = new byte[w.OriginBytes];
        for (int v = 0; v < views.Length; v++)
        {
            if (v == 0) origin.Read(0, got);
            else snapshots[v - 1].Read(0, got);
            if (!got.AsSpan().SequenceEqual(views[v]))
                return $"{(v == 0 ? "origin" : $"snapshot {v - 1} view")} after more writes on the recovered disk differs at byte {got.AsSpan().CommonPrefixLength(views[v])}";
        }
        return Reboot.CowProblem(cowFiles, w.OriginBytes) is string fsck ? $"after more writes: {fsck}" : null;
    }
}
