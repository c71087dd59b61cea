using System.Collections.Concurrent;
using System.Diagnostics;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Tests.Properties;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Merge;

/// <summary>
/// Origin I/O done while the merge runs: before the first group ([0]) or from the i-th progress callback (after
/// group i; the last call comes after the snapshot is detached, when the origin is plain again).
/// </summary>
public abstract record MergeStep;

public sealed record MergeWriteStep(long Offset, byte[] Data) : MergeStep
{
    public override string ToString() => $"origin write {Data.Length} bytes at {Offset}";
}

public sealed record MergeFlushStep : MergeStep
{
    public override string ToString() => "origin flush";
}

/// <summary>
/// A merge to crash: the device images as they are when the merge starts (built once with the engine,
/// on plain memory devices), which snapshot merges, the views that must come out, and the origin I/O
/// done during the merge.
/// </summary>
public sealed class MergeCrashCase
{
    public required string Name { get; init; }
    public required byte[] Origin { get; init; }
    public required byte[][] Cows { get; init; }
    public required int Merging { get; init; }

    /// <summary>The origin's view at merge start: the merging snapshot's view.</summary>
    public required byte[] MergeView { get; init; }

    /// <summary>Every snapshot's view at merge start (the merging one's entry unused).</summary>
    public required byte[][] Views { get; init; }

    /// <summary>The merging store's table at merge start, in table order.</summary>
    public required IReadOnlyList<DiskException> Table { get; init; }

    /// <summary>[0] before Run, [i] in the i-th progress callback.</summary>
    public required MergeStep[][] Interludes { get; init; }

    public int OriginBytes => Origin.Length;

    public IEnumerable<MergeStep> Steps => Interludes.SelectMany(s => s);

    /// <summary>Builds the images with the engine on memory devices.</summary>
    public static MergeCrashCase Make(string name, int originBytes, int seed, Action<MergeBed> build, int merging,
        Func<MergeBed, MergeStep[][]>? interludes = null)
    {
        var bed = new MergeBed(ViewModel.Payload(originBytes, seed));
        build(bed);
        foreach (var store in bed.Stores)
            if (!store.IsValid) throw new InvalidOperationException($"{name}: {store.Name} invalid after the build");
        var g = bed.Stores[merging].Geometry;
        return new MergeCrashCase
        {
            Name = name,
            Origin = (byte[])bed.OriginFile.Bytes.Clone(),
            Cows = bed.CowFiles.Select(c => (byte[])c.Bytes.Clone()).ToArray(),
            Merging = merging,
            MergeView = (byte[])bed.Model.Snapshots[merging].Clone(),
            Views = bed.Model.Snapshots.Select(v => (byte[])v.Clone()).ToArray(),
            Table = ExceptionTable.Read(new MemoryBlockFile(bed.CowFiles[merging].Bytes), g).Entries,
            Interludes = interludes?.Invoke(bed) ?? [],
        };
    }

    public override string ToString() => Name;
}

/// <summary>What a merge crash sweep found.</summary>
public sealed class MergeSweepResult(MergeCrashCase c)
{
    public MergeCrashCase Case { get; } = c;
    public long TotalOps { get; set; }
    public int Groups { get; set; }
    public int Runs => runs;
    public TimeSpan Elapsed { get; set; }
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Crash runs by the phase the power failed in (merge group k, interlude k, final flush).</summary>
    public ConcurrentDictionary<string, int> CrashPhases { get; } = new();

    internal long ExecuteTicks, VerifyTicks;
    private int runs;
    internal void CountRun() => Interlocked.Increment(ref runs);

    public string Summary() =>
        $"{Case.Name}: {Case.Table.Count} entries, {Groups} groups, {Case.Steps.Count()} origin steps during the merge; " +
        $"T = {TotalOps} crash points, {Runs} crash runs in {Elapsed.TotalSeconds:F1} s " +
        $"(crash runs {Stopwatch.GetElapsedTime(0, ExecuteTicks).TotalSeconds:F1} s, checks {Stopwatch.GetElapsedTime(0, VerifyTicks).TotalSeconds:F1} s); phases: " +
        $"{string.Join(", ", CrashPhases.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; failures: {Failures.Count}";

    public string Describe(int max = 12) =>
        Failures.IsEmpty ? "no failures" : $"{Failures.Count} failure(s):\n" + string.Join("\n", Failures.OrderBy(f => f).Take(max));
}

/// <summary>
/// Crashes a merge at every write/flush operation in turn (all devices lose power together), under each
/// loss model, then reboots: fresh engine objects on the images as found, every store must verify clean and
/// still say valid, the merging table must be a prefix of the table at merge start (it only shrinks from
/// its end), the origin must read as the merge-start view with some prefix of the origin writes done during
/// the merge (every write followed by a completed origin flush present), every other snapshot's view must be
/// unchanged; then the merge is resumed from the files to completion and must leave exactly that view on the
/// origin device, an empty table and clean stores.
/// </summary>
public static class MergeCrashSweep
{
    public static MergeSweepResult Run(MergeCrashCase c, IReadOnlyList<LossModel> models)
    {
        var clock = Stopwatch.StartNew();
        var result = new MergeSweepResult(c);
        var histories = SectorHistories(c);

        var count = Execute(c, CrashPlan.Never(), new Scratch(c));
        if (count.Thrown is not null)
            throw new InvalidOperationException($"{c.Name}: the run without a crash failed: {count.Thrown}");
        result.TotalOps = count.Plan.Operations;
        result.Groups = count.Groups;
        var baseline = new ConcurrentQueue<string>();
        Verify(c, histories, count, LossModel.KeepUnflushed, baseline, new Scratch(c));
        if (!baseline.IsEmpty)
            throw new InvalidOperationException($"{c.Name}: the run without a crash does not match the model:\n{string.Join("\n", baseline)}");

        var work = models.SelectMany(m => Enumerable.Range(1, (int)result.TotalOps).Select(n => (Model: m, N: (long)n))).ToArray();
        // Each worker reuses its own device images and view buffers: a run of the large cases touches ~100 MiB,
        // and allocating that afresh per run costs more than the run itself.
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new Scratch(c), (w, _, scratch) =>
        {
            result.CountRun();
            var failures = new ConcurrentQueue<string>();
            long t0 = Stopwatch.GetTimestamp();
            var run = Execute(c, new CrashPlan(w.N, w.Model), scratch);
            long t1 = Stopwatch.GetTimestamp();
            Interlocked.Add(ref result.ExecuteTicks, t1 - t0);
            if (run.Phase == $"merge group {result.Groups + 1}") run = run with { Phase = "final flush" };
            result.CrashPhases.AddOrUpdate(run.Phase, 1, (_, v) => v + 1);
            if (!run.Plan.Crashed)
                failures.Enqueue($"the run ended after {run.Plan.Operations} operations without reaching operation {w.N}");
            else if (run.Thrown is null)
                failures.Enqueue($"the power failed at {run.Plan.CrashedOperation} ({run.Phase}) but Run returned success");
            else if (run.Thrown is not (SimulatedCrash or MergeFailedException) || run.ThrownBeforeCrash)
                failures.Enqueue($"unexpected {run.Thrown.GetType().Name}{(run.ThrownBeforeCrash ? " before the power failed" : "")}: {run.Thrown.Message}");
            else
                Verify(c, histories, run, w.Model, failures, scratch);
            Interlocked.Add(ref result.VerifyTicks, Stopwatch.GetTimestamp() - t1);
            foreach (var f in failures)
                result.Failures.Enqueue($"N={w.N} {w.Model} [{run.Phase}, crash at {run.Plan.CrashedOperation ?? "none"}]: {f}");
            return scratch;
        }, _ => { });
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>One worker's device images (overwritten with the case's images before every run) and view buffers.</summary>
    private sealed class Scratch(MergeCrashCase c)
    {
        public readonly byte[] Origin = new byte[c.Origin.Length];
        public readonly byte[][] Cows = c.Cows.Select(cow => new byte[cow.Length]).ToArray();
        public readonly byte[] View = new byte[c.OriginBytes];
        public readonly byte[] Recovered = new byte[c.OriginBytes];
    }

    private sealed record CrashRun(CrashPlan Plan, byte[][] Images, Exception? Thrown, bool ThrownBeforeCrash,
        int Started, int Completed, int LastCompletedFlush, int Groups, string Phase);

    /// <summary>Runs the merge (and its origin steps) on crashing copies of the images; returns the disk after the reboot.</summary>
    private static CrashRun Execute(MergeCrashCase c, CrashPlan plan, Scratch scratch)
    {
        var disk = new CrashingDisk(plan);
        c.Origin.CopyTo(scratch.Origin, 0);
        var originFile = disk.Add("origin", scratch.Origin);
        var cowFiles = c.Cows.Select((cow, k) =>
        {
            cow.CopyTo(scratch.Cows[k], 0);
            return disk.Add($"cow{k}", scratch.Cows[k]);
        }).ToArray();
        var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
        var origin = new Origin(originFile);
        var snapshots = stores.Select(origin.Attach).ToArray();
        int started = 0, completed = 0, lastFlush = -1, groups = 0;
        string phase = "merge group 1";
        Exception? thrown = null;
        bool before = false;
        try
        {
            var merge = SnapshotMerge.Start(snapshots[c.Merging]);
            void Interlude(int i)
            {
                if (i >= c.Interludes.Length) return;
                foreach (var step in c.Interludes[i])
                {
                    phase = $"interlude {i}";
                    started++;
                    switch (step)
                    {
                        case MergeWriteStep w: origin.Write(w.Offset, w.Data); break;
                        case MergeFlushStep: origin.Flush(); lastFlush = started - 1; break;
                    }
                    completed++;
                }
            }
            Interlude(0);
            phase = "merge group 1";
            int calls = 0;
            bool done = merge.Run(p =>
            {
                calls++;
                if (origin.Merging is not null) groups++;
                Interlude(calls);
                phase = origin.Merging is null ? "after the merge" : $"merge group {groups + 1}";
            });
            if (!done) throw new InvalidOperationException("Run returned false");
        }
        catch (Exception e)
        {
            thrown = e;
            before = !plan.Crashed;
        }
        return new CrashRun(plan, disk.AfterReboot(), thrown, before, started, completed, lastFlush, groups, phase);
    }

    /// <summary>[sector] → the contents it takes from the origin steps, oldest first, with the step index; only sectors some step writes.</summary>
    private static Dictionary<int, List<(int Step, byte[] Content)>> SectorHistories(MergeCrashCase c)
    {
        var histories = new Dictionary<int, List<(int, byte[])>>();
        int i = 0;
        foreach (var step in c.Steps)
        {
            if (step is MergeWriteStep w)
            {
                for (long s = w.Offset / 512; s <= (w.Offset + w.Data.Length - 1) / 512; s++)
                {
                    if (!histories.TryGetValue((int)s, out var h))
                        histories[(int)s] = h = [(-1, c.MergeView.AsSpan((int)s * 512, 512).ToArray())];
                    byte[] content = (byte[])h[^1].Item2.Clone();
                    long from = Math.Max(w.Offset, s * 512), to = Math.Min(w.Offset + w.Data.Length, (s + 1) * 512);
                    w.Data.AsSpan((int)(from - w.Offset), (int)(to - from)).CopyTo(content.AsSpan((int)(from - s * 512)));
                    h.Add((i, content));
                }
            }
            i++;
        }
        return histories;
    }

    /// <summary>
    /// Checks each sector of <paramref name="actual"/>: an untouched sector equals the merge-start view, a written one
    /// one of its versions between the newest durable one and the newest started one.
    /// </summary>
    private static string? CheckOrigin(MergeCrashCase c, Dictionary<int, List<(int Step, byte[] Content)>> histories, CrashRun run,
        LossModel model, ReadOnlySpan<byte> actual)
    {
        int durableBefore = model == LossModel.KeepUnflushed ? run.Completed : run.LastCompletedFlush;
        int sectors = c.OriginBytes / 512;
        int bad = 0;
        string? first = null;
        for (int s = 0; s < sectors; s++)
        {
            var got = actual.Slice(s * 512, 512);
            if (!histories.TryGetValue(s, out var h))
            {
                if (got.SequenceEqual(c.MergeView.AsSpan(s * 512, 512))) continue;
                bad++;
                first ??= $"sector {s} (byte {s * 512}) differs from the merge-start view and no step wrote it";
                continue;
            }
            int min = 0, max = 0;
            for (int v = 0; v < h.Count; v++)
            {
                if (h[v].Step < durableBefore) min = v;
                if (h[v].Step < run.Started) max = v;
            }
            bool ok = false;
            for (int v = min; v <= max && !ok; v++) ok = got.SequenceEqual(h[v].Content);
            if (ok) continue;
            bad++;
            int found = -1;
            for (int v = 0; v < h.Count; v++) if (got.SequenceEqual(h[v].Content)) found = v;
            first ??= $"sector {s} (byte {s * 512}) holds {(found < 0 ? "none of its versions" : $"version {found}")}; allowed {min}..{max} " +
                      $"(steps started {run.Started}, completed {run.Completed}, last completed flush {run.LastCompletedFlush})";
        }
        return bad == 0 ? null : $"{bad} sector(s) wrong; first: {first}";
    }

    private static void Verify(MergeCrashCase c, Dictionary<int, List<(int Step, byte[] Content)>> histories, CrashRun run,
        LossModel model, ConcurrentQueue<string> failures, Scratch scratch)
    {
        try
        {
            var originFile = new MemoryBlockFile(run.Images[0], "origin");
            var cowFiles = run.Images.Skip(1).Select((img, k) => new MemoryBlockFile(img, $"cow{k}")).ToArray();
            for (int k = 0; k < cowFiles.Length; k++)
            {
                var findings = CowVerification.Findings(cowFiles[k], c.OriginBytes);
                if (findings.Count > 0) { failures.Enqueue($"fsck cow{k} after the reboot: {string.Join("; ", findings.Take(3))}"); return; }
                if (!ExceptionStore.ReadHeader(cowFiles[k]).IsValid) { failures.Enqueue($"cow{k}: header says invalid after the reboot"); return; }
            }
            var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
            var g = stores[c.Merging].Geometry;
            var table = ExceptionTable.Read(cowFiles[c.Merging], g).Entries;
            bool prefix = table.Count <= c.Table.Count;
            for (int i = 0; prefix && i < table.Count; i++) prefix = table[i] == c.Table[i];
            if (!prefix) failures.Enqueue($"the merging table ({table.Count} entries) is not a prefix of the table at merge start ({c.Table.Count})");

            var origin = new Origin(originFile);
            var snapshots = stores.Select(origin.Attach).ToArray();
            byte[] view = scratch.View;
            // The siblings' views are compared once, after the resumed merge: a resume never rewrites a sibling's
            // exception data and copies only what the origin holds, so a view wrong after the reboot stays wrong.

            var merge = SnapshotMerge.Start(snapshots[c.Merging]);
            byte[] recovered = scratch.Recovered;
            origin.Read(0, recovered);
            if (CheckOrigin(c, histories, run, model, recovered) is string problem) failures.Enqueue($"origin view after the reboot: {problem}");

            if (!merge.Run()) { failures.Enqueue("the resumed merge returned false"); return; }
            if (!originFile.Bytes.AsSpan().SequenceEqual(recovered))
                failures.Enqueue($"the resumed merge left the origin device different from the view it had before resuming, at byte {originFile.Bytes.AsSpan().CommonPrefixLength(recovered)}");
            for (int k = 0; k < snapshots.Length; k++)
            {
                if (k == c.Merging) continue;
                if (!stores[k].IsValid) { failures.Enqueue($"sibling {k} invalid after the resumed merge: {stores[k].InvalidReason}"); continue; }
                snapshots[k].Read(0, view);
                if (!view.AsSpan().SequenceEqual(c.Views[k]))
                    failures.Enqueue($"sibling {k} view after the resumed merge differs at byte {view.AsSpan().CommonPrefixLength(c.Views[k])}");
            }
            MergeChecks.AllCowsClean("after the resumed merge", cowFiles, c.OriginBytes);
            // Under NewestUnflushedOnly a commit that empties area k and cuts area k-1 can keep only the (newer) write
            // of area k-1: area k then keeps stale entries, unreachable behind k-1's terminator. Harmless, not kernel-like.
            int? areas = model == LossModel.NewestUnflushedOnly ? null : c.Table.Count / g.ExceptionsPerArea + 1;
            MergeChecks.MergedAndPlain("after the resumed merge", origin, snapshots[c.Merging], cowFiles[c.Merging], areas);
        }
        catch (Exception e)
        {
            failures.Enqueue($"check threw {e.GetType().Name}: {e.Message}");
        }
    }
}
