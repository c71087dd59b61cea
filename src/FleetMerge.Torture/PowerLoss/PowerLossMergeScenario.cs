using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Volumes;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// power-loss-merge: a random exception table (origin and snapshot writes on 1–2 snapshots, built with the
/// engine on plain memory and checked against the model), then one snapshot merges, with origin writes and
/// flushes during the merge in some trials and a table big enough for several merge groups in others. The
/// power fails at a random operation (random unflushed subset kept, write in flight torn). After the
/// reboot: every COW passes the fsck, the merging table is a prefix of the one at merge start (it only
/// shrinks from its end), the origin reads as the merging snapshot's view (from the model) with the origin
/// steps as the model allows; the merge resumes from the files alone and leaves exactly that on the origin
/// device, an empty table, and the other snapshot's view unchanged.
/// </summary>
public sealed class PowerLossMergeScenario : InProcessScenario
{
    public override string Name => "power-loss-merge";

    public override string Description => "random table, merge (origin writes during it), power fails at a random operation (random unflushed subset, torn write); reopen, resume, origin = model image";

    protected override TrialOutcome Run(TrialContext trial)
    {
        var rng = trial.Random;
        // One trial in eight has more than one merge group's worth (16 MiB) of exceptions.
        bool big = rng.Next(8) == 0;
        int originBytes = big ? rng.Next(20, 28) << 20 : rng.Next(16, 1024) * 4096 + (rng.Next(4) == 0 ? rng.Next(1, 8) * 512 : 0);
        int snapshots = 1 + rng.Next(2);
        var (origin, chunks, cows) = Workload.Devices(rng, originBytes, snapshots);
        var steps = big ? BigWrites(rng, originBytes) : [];
        steps.AddRange(Workload.RandomSteps(rng, originBytes, rng.Next(5, 70), snapshots, 0.4, 256 << 10));
        var w = new Workload { OriginBase = origin, ChunkBytes = chunks, CowBases = cows, Steps = steps };
        var models = w.Models();
        int merging = rng.Next(snapshots);

        // The table to merge: built once, without a crash, and checked against the model first.
        var built = WriteRun.Execute(w, CrashPlan.Never());
        if (built.Problem is not null || built.Thrown is not null)
            return TrialOutcome.Failure($"building the table failed: {built.Problem ?? built.Thrown!.Message}");
        for (int k = 0; k < snapshots; k++)
        {
            var view = ViewOf(built.Images, k, originBytes);
            if (!view.AsSpan().SequenceEqual(models[1 + k].Final))
                return TrialOutcome.Lost($"snapshot {k} view differs from the model at byte {view.AsSpan().CommonPrefixLength(models[1 + k].Final)} before the merge");
        }
        byte[] mergeView = models[1 + merging].Final;
        var g = ChunkGeometry.FromBytes(chunks[merging]);
        var table = ExceptionTable.Read(new MemoryBlockFile(built.Images[1 + merging]), g).Entries;

        var interludes = rng.Next(2) == 0 ? [] : Interludes(rng, originBytes);
        var during = new SectorHistory(mergeView);
        int number = 0;
        foreach (var step in interludes.SelectMany(s => s))
        {
            if (step is OriginWrite ow) during.Write(number, ow.Offset, ow.Data);
            else during.Flush(number);
            number++;
        }
        var loss = LossChoice.Pick(rng);
        trial.Log($"{w.Describe()}; merging snapshot {merging} ({table.Count} exceptions){(big ? ", big" : "")}; {number} origin steps during the merge; {loss}");

        var images = built.Images;
        var count = MergeRun.Execute(images[0], images[1..], merging, interludes, CrashPlan.Never());
        if (count.Thrown is not null || count.Problem is not null)
            return TrialOutcome.Failure($"the merge without a crash failed: {count.Problem ?? count.Thrown!.Message}");
        if (!count.Images[0].AsSpan().SequenceEqual(during.Final))
            return TrialOutcome.Lost($"the merge without a crash left an origin that differs from the model at byte {count.Images[0].AsSpan().CommonPrefixLength(during.Final)}");

        long n = 1 + rng.NextInt64(count.Disk.Plan.Operations);
        var run = MergeRun.Execute(images[0], images[1..], merging, interludes, loss.Plan(n));
        string where = $"{Reboot.Where(run.Disk, loss)}, {run.Phase}";
        trial.Log(where);
        if (run.Problem is not null) return TrialOutcome.Failure($"{run.Problem} [{where}]");
        try
        {
            return AfterReboot(run, models, merging, table, during, g) is { } outcome
                ? outcome with { Message = $"{outcome.Message} [{where}]" }
                : TrialOutcome.Passed;
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            return TrialOutcome.Failure($"after the reboot: {e.GetType().Name}: {e.Message} [{where}]");
        }
    }

    private static TrialOutcome? AfterReboot(MergeRun run, SectorHistory[] models, int merging, IReadOnlyList<DiskException> table,
        SectorHistory during, ChunkGeometry g)
    {
        int originBytes = during.Length;
        var cowFiles = run.Images.Skip(1).Select((c, k) => new MemoryBlockFile(c, $"cow{k}")).ToArray();
        if (Reboot.CowProblem(cowFiles, originBytes) is string fsck) return TrialOutcome.Failure(fsck);
        var left = ExceptionTable.Read(cowFiles[merging], g).Entries;
        if (left.Count > table.Count || !left.SequenceEqual(table.Take(left.Count)))
            return TrialOutcome.Failure($"the merging table after the reboot ({left.Count} entries) is not a prefix of the table at merge start ({table.Count})");

        var originFile = new MemoryBlockFile(run.Images[0], "origin");
        var origin = new Origin(originFile);
        var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
        var snapshots = stores.Select(origin.Attach).ToArray();
        var merge = SnapshotMerge.Start(snapshots[merging]);
        byte[] recovered = new byte[originBytes];
        origin.Read(0, recovered);
        if (during.Check(recovered, run.Started - 1, during.LastFlushBefore(run.Completed)) is string bad)
            return TrialOutcome.Lost($"origin view after the reboot (through the merging snapshot): {bad}");

        if (!merge.Run()) return TrialOutcome.Failure("the resumed merge returned false");
        if (!originFile.Bytes.AsSpan().SequenceEqual(recovered))
            return TrialOutcome.Lost($"the resumed merge left the origin device different from its view before resuming, at byte {originFile.Bytes.AsSpan().CommonPrefixLength(recovered)}");
        if (stores[merging].RemainingExceptions != 0 || ExceptionTable.Read(cowFiles[merging], g).Entries.Count != 0)
            return TrialOutcome.Failure("the merging table is not empty after the resumed merge");
        if (Reboot.CowProblem(cowFiles, originBytes) is string after) return TrialOutcome.Failure($"after the resumed merge: {after}");
        byte[] view = new byte[originBytes];
        for (int k = 0; k < snapshots.Length; k++)
        {
            if (k == merging) continue;
            snapshots[k].Read(0, view);
            if (!view.AsSpan().SequenceEqual(models[1 + k].Final))
                return TrialOutcome.Lost($"snapshot {k} (not merging) view after the resumed merge differs from the model at byte {view.AsSpan().CommonPrefixLength(models[1 + k].Final)}");
        }
        return null;
    }

    private static byte[] ViewOf(byte[][] images, int snapshot, int originBytes)
    {
        var origin = new Origin(new MemoryBlockFile(images[0], "origin"));
        var stores = images.Skip(1).Select((c, k) => ExceptionStore.Open(new MemoryBlockFile(c, $"cow{k}"), StoreOpenMode.ReadOnly)).ToArray();
        var snapshots = stores.Select(origin.Attach).ToArray();
        byte[] view = new byte[originBytes];
        snapshots[snapshot].Read(0, view);
        return view;
    }

    /// <summary>Origin writes of 2 MiB over the first 18 MiB: exceptions for more than one merge group.</summary>
    private static List<WorkStep> BigWrites(Random rng, int originBytes)
    {
        var steps = new List<WorkStep>();
        for (long offset = 0; offset < 18 << 20 && offset + (2 << 20) <= originBytes; offset += 2 << 20)
        {
            byte[] data = new byte[2 << 20];
            rng.NextBytes(data);
            steps.Add(new OriginWrite(offset, data));
        }
        return steps;
    }

    /// <summary>Origin writes and flushes before the first merge group and after the first two.</summary>
    private static WorkStep[][] Interludes(Random rng, int originBytes) =>
        Enumerable.Range(0, 3)
            .Select(_ => Workload.RandomSteps(rng, originBytes, rng.Next(0, 8), snapshots: 0, snapshotShare: 0, maxWrite: 64 << 10).ToArray())
            .ToArray();
}
