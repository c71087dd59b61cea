using System.Collections.Concurrent;
using FleetMerge.Storage.Tests.Properties;
using FleetMerge.Storage.Volumes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Storage.Tests.Merge;

/// <summary>
/// Merge properties against the byte-array model. At Start the origin's view becomes the merging
/// snapshot's view; from then on it changes only by origin writes, whatever the merge has done; every
/// other snapshot's view never changes; when Run returns true the origin device itself holds that view,
/// the merged table is empty (status allocated == metadata), the snapshot is detached and the origin is
/// plain again.
/// </summary>
public class MergeProperties
{
    /// <summary>Origin I/O between groups (progress callback) and before the first group; checks after every group.</summary>
    [Property(MaxTest = 60)]
    public Property Merge_with_io_between_groups_ends_in_the_model_state() =>
        Prop.ForAll(Arb.From(MergeGen.Any(smallWeight: 6, largeWeight: 1), MergeGen.Shrink), s => Classified(RunBetweenGroups(s)));

    /// <summary>
    /// A writer thread and a reader thread while the merge runs (throttled to last ~0.1 s): the writer owns
    /// one third of the 64K units (writes, reads back, flushes), the progress callback writes another third,
    /// the last third is never written and must read as the merge-start view all along; sibling views never change.
    /// </summary>
    [Property(MaxTest = 20)]
    public Property Merge_with_concurrent_origin_io_ends_in_the_model_state() =>
        Prop.ForAll(Arb.From(MergeGen.Any(smallWeight: 5, largeWeight: 1), MergeGen.Shrink), s => Classified(RunConcurrent(s)));

    /// <summary>What a run covered, for FsCheck's summary line.</summary>
    public sealed class Coverage
    {
        public int Groups, Areas, Siblings, WritesToCow, WritesToOrigin, Flushes;
        public long Entries;
        public int ChunkBytes;
    }

    private static Property Classified(Coverage c) => true.ToProperty()
        .Classify(c.Groups >= 2, "several groups")
        .Classify(c.Areas >= 2, "several areas")
        .Classify(c.Siblings > 0, "siblings")
        .Classify(c.WritesToCow > 0, "writes into unmerged chunks")
        .Classify(c.WritesToOrigin > 0, "writes into merged/unmapped chunks")
        .Classify(c.Entries == 0, "empty table")
        .Classify(c.ChunkBytes > 4096, "16K/64K merging");

    private sealed record Started(MergeBed Bed, int Merging, int[] Siblings, byte[] View, SnapshotMerge Merge, Coverage Coverage);

    private static Started Build(MergeScenario s)
    {
        var bed = new MergeBed(ViewModel.Payload(s.OriginBytes, s.Seed));
        var build = s.Build();
        for (int i = 0; i < build.Count; i++)
        {
            try { bed.Apply(build[i]); }
            catch (Exception e) when (e is not ModelMismatchException)
            {
                throw new ModelMismatchException($"build step #{i} {build[i]}: {e.GetType().Name}: {e.Message}", e);
            }
        }
        int m = s.MergingIndex;
        int[] siblings = Enumerable.Range(0, bed.Snapshots.Count).Where(k => k != m).ToArray();
        foreach (var k in siblings)
            if (!bed.Stores[k].IsValid) throw new ModelMismatchException($"sibling {k} invalid before the merge: {bed.Stores[k].InvalidReason}");
        byte[] view = (byte[])bed.Model.Snapshots[m].Clone();
        var merge = SnapshotMerge.Start(bed.Snapshots[m]);
        ViewModel.AssertSame("origin view right after Start", view, bed.ReadOrigin());
        var coverage = new Coverage
        {
            Entries = merge.InitialExceptions, Areas = (int)bed.Stores[m].Usage().CurrentArea + 1, Siblings = siblings.Length,
            ChunkBytes = bed.Stores[m].Geometry.ChunkBytes,
        };
        return new Started(bed, m, siblings, view, merge, coverage);
    }

    private static void Apply(Started st, DuringOp op, string where)
    {
        var bed = st.Bed;
        switch (op.Kind)
        {
            case DuringKind.OriginWrite:
            {
                byte[] data = ViewModel.Payload(op.Length, op.Seed);
                CountWrite(st, op.Offset, op.Length);
                bed.Origin.Write(op.Offset, data);
                data.CopyTo(st.View, op.Offset);
                break;
            }
            case DuringKind.OriginRead:
            {
                byte[] buffer = new byte[op.Length];
                bed.Origin.Read(op.Offset, buffer);
                ViewModel.AssertSame($"{where}: origin read", st.View.AsSpan(op.Offset, op.Length), buffer, op.Offset);
                break;
            }
            case DuringKind.OriginFlush:
                Interlocked.Increment(ref st.Coverage.Flushes);
                bed.Origin.Flush();
                break;
            case DuringKind.SiblingRead:
            {
                if (st.Siblings.Length == 0) break;
                int k = st.Siblings[op.Target % st.Siblings.Length];
                byte[] buffer = new byte[op.Length];
                bed.Snapshots[k].Read(op.Offset, buffer);
                ViewModel.AssertSame($"{where}: sibling {k} read", bed.Model.Snapshots[k].AsSpan(op.Offset, op.Length), buffer, op.Offset);
                break;
            }
        }
    }

    /// <summary>Coverage only (racy under concurrency): does the write hit a chunk the merging COW still holds?</summary>
    private static void CountWrite(Started st, long offset, int length)
    {
        var store = st.Bed.Stores[st.Merging];
        var g = store.Geometry;
        bool toCow = false;
        for (ulong c = g.ChunkOfByte(offset); c <= g.ChunkOfByte(offset + length - 1); c++)
            toCow |= store.TryGetException(c, out _);
        if (toCow) Interlocked.Increment(ref st.Coverage.WritesToCow);
        else Interlocked.Increment(ref st.Coverage.WritesToOrigin);
    }

    private static void CheckSiblings(Started st, string when)
    {
        foreach (int k in st.Siblings)
        {
            if (!st.Bed.Stores[k].IsValid) throw new ModelMismatchException($"{when}: sibling {k} became invalid: {st.Bed.Stores[k].InvalidReason}");
            ViewModel.AssertSame($"{when}: sibling {k} view ({st.Bed.Stores[k].Geometry.ChunkBytes / 1024}K)", st.Bed.Model.Snapshots[k], st.Bed.ReadSnapshot(k));
        }
    }

    /// <summary>Progress: strictly fewer exceptions after every group, then one last call with the origin plain.</summary>
    private sealed class ProgressChecker(Started st)
    {
        private long last = st.Merge.InitialExceptions;
        public int Calls { get; private set; }
        public int Groups { get; private set; }
        public bool SawFinal { get; private set; }

        public void Check(MergeProgress p)
        {
            Calls++;
            string when = $"progress call {Calls}";
            if (SawFinal) throw new ModelMismatchException($"{when}: a call after the final one");
            if (p.InitialExceptions != st.Merge.InitialExceptions)
                throw new ModelMismatchException($"{when}: InitialExceptions {p.InitialExceptions}, merge says {st.Merge.InitialExceptions}");
            if (st.Bed.Origin.Merging is null)
            {
                SawFinal = true;
                if (p.RemainingExceptions != 0 || !MergeChecks.IsDrained(p.Status))
                    throw new ModelMismatchException($"{when}: final call with {p.RemainingExceptions} left, status '{p.Status}'");
                return;
            }
            Groups++;
            if (!ReferenceEquals(st.Bed.Origin.Merging, st.Merge.Snapshot))
                throw new ModelMismatchException($"{when}: the origin merges another snapshot");
            if (p.RemainingExceptions >= last)
                throw new ModelMismatchException($"{when}: {p.RemainingExceptions} exceptions left after a group, {last} before");
            last = p.RemainingExceptions;
        }
    }

    private static void CheckCompleted(MergeScenario s, Started st, ProgressChecker progress, string how)
    {
        var bed = st.Bed;
        if (!progress.SawFinal) throw new ModelMismatchException($"{how}: no final progress call");
        if (s.Large && progress.Groups < 2)
            throw new ModelMismatchException($"{how}: a large scenario merged in {progress.Groups} group(s); expected several");
        ViewModel.AssertSame($"{how}: origin device after the merge", st.View, bed.OriginFile.Bytes);
        MergeChecks.MergedAndPlain(how, bed.Origin, bed.Snapshots[st.Merging], bed.CowFiles[st.Merging], st.Coverage.Areas);
        MergeChecks.AllCowsClean(how, bed.CowFiles, bed.OriginBytes);
        CheckSiblings(st, $"{how}: after the merge");

        // Plain again: an origin write goes to the device and the siblings get their copies first.
        int offset = (int)((uint)s.Seed % (uint)(bed.OriginBytes - 1));
        byte[] data = ViewModel.Payload(Math.Min(20000, bed.OriginBytes - offset), s.Seed ^ 0x5a5a);
        bed.Origin.Write(offset, data);
        data.CopyTo(st.View, offset);
        ViewModel.AssertSame($"{how}: origin device after a write once plain", st.View, bed.OriginFile.Bytes);
        CheckSiblings(st, $"{how}: after a write once plain");

        // Every device as found by a fresh activation: the merged store empty, the siblings as they were.
        bed.Reactivate();
        if (bed.Stores[st.Merging].ExceptionCount != 0)
            throw new ModelMismatchException($"{how}: the merged store reloads with {bed.Stores[st.Merging].ExceptionCount} exceptions");
        CheckSiblings(st, $"{how}: after reactivation");
    }

    public static Coverage RunBetweenGroups(MergeScenario s)
    {
        var st = Build(s);
        CheckSiblings(st, "after Start");
        var progress = new ProgressChecker(st);
        int interlude = 0;
        void Interlude(string when)
        {
            if (interlude >= s.Interludes.Length) return;
            var ops = s.Interludes[interlude++];
            for (int i = 0; i < ops.Length; i++) Apply(st, ops[i], $"{when} op #{i} {ops[i]}");
        }
        Interlude("before Run");
        bool done = st.Merge.Run(p =>
        {
            progress.Check(p);
            string when = $"after group {progress.Groups}{(progress.SawFinal ? " (final call)" : "")}";
            CheckSiblings(st, when);
            ViewModel.AssertSame($"{when}: origin view", st.View, st.Bed.ReadOrigin());
            Interlude(when);
        });
        if (!done) throw new ModelMismatchException("Run returned false without a cancellation");
        st.Coverage.Groups = progress.Groups;
        CheckCompleted(s, st, progress, "between groups");
        return st.Coverage;
    }

    private const int Unit = 65536;

    public static Coverage RunConcurrent(MergeScenario s)
    {
        var st = Build(s);
        var bed = st.Bed;
        int units = (s.OriginBytes + Unit - 1) / Unit;
        int[] Owned(int region) => Enumerable.Range(0, units).Where(u => u % 3 == region).ToArray();
        int[] writerUnits = Owned(1), callbackUnits = Owned(2);
        bool InUnits(long offset, int length, int region) =>
            length > 0 && offset / Unit == (offset + length - 1) / Unit && offset / Unit % 3 == region;
        byte[] untouched = (byte[])st.View.Clone(); // region 0 keeps the merge-start view

        // The merge takes about 0.1 s whatever its size, so the threads meet every phase of it.
        long bytes = st.Merge.InitialExceptions * bed.Stores[st.Merging].Geometry.ChunkBytes;
        st.Merge.MaxBytesPerSecond = Math.Max(1 << 20, bytes * 10);

        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var rngSeed = s.Seed;
        var writer = new Thread(() =>
        {
            var rng = new Random(rngSeed);
            try
            {
                for (int i = 0; i < 400 && !(stop.IsCancellationRequested && i >= 8); i++)
                {
                    int unit = writerUnits[rng.Next(writerUnits.Length)];
                    long start = (long)unit * Unit;
                    int size = (int)Math.Min(Unit, s.OriginBytes - start);
                    int offset = rng.Next(size), length = rng.Next(1, Math.Min(size - offset, 3 * 16384) + 1);
                    long at = start + offset;
                    switch (rng.Next(6))
                    {
                        case 0: bed.Origin.Flush(); break;
                        case 1:
                        case 2:
                        {
                            byte[] buffer = new byte[length];
                            bed.Origin.Read(at, buffer);
                            ViewModel.AssertSame($"writer read {at}+{length}", st.View.AsSpan((int)at, length), buffer, at);
                            break;
                        }
                        default:
                        {
                            byte[] data = ViewModel.Payload(length, rng.Next());
                            CountWrite(st, at, length);
                            bed.Origin.Write(at, data);
                            data.CopyTo(st.View, at); // this thread alone writes these bytes
                            byte[] back = new byte[length];
                            bed.Origin.Read(at, back);
                            ViewModel.AssertSame($"writer read-back {at}+{length}", data, back, at);
                            break;
                        }
                    }
                    Thread.Sleep(rng.Next(2));
                }
            }
            catch (Exception e) { failures.Enqueue($"writer: {e.GetType().Name}: {e.Message}"); }
        });
        var reader = new Thread(() =>
        {
            var rng = new Random(rngSeed + 1);
            try
            {
                for (int i = 0; i < 2000 && !(stop.IsCancellationRequested && i >= 8); i++)
                {
                    int length = rng.Next(1, 3 * 16384), offset = rng.Next(s.OriginBytes - length);
                    byte[] buffer = new byte[length];
                    if (st.Siblings.Length > 0 && rng.Next(2) == 0)
                    {
                        int k = st.Siblings[rng.Next(st.Siblings.Length)];
                        bed.Snapshots[k].Read(offset, buffer);
                        ViewModel.AssertSame($"reader: sibling {k} read", bed.Model.Snapshots[k].AsSpan(offset, length), buffer, offset);
                    }
                    else
                    {
                        int unit = rng.Next(units / 3 + 1) * 3;
                        long start = (long)unit * Unit;
                        if (start >= s.OriginBytes) continue;
                        int size = (int)Math.Min(Unit, s.OriginBytes - start);
                        int off = rng.Next(size), len = rng.Next(1, size - off + 1);
                        byte[] piece = new byte[len];
                        bed.Origin.Read(start + off, piece);
                        ViewModel.AssertSame("reader: origin read of a unit nobody writes", untouched.AsSpan((int)(start + off), len), piece, start + off);
                    }
                    Thread.Sleep(rng.Next(2));
                }
            }
            catch (Exception e) { failures.Enqueue($"reader: {e.GetType().Name}: {e.Message}"); }
        });

        var progress = new ProgressChecker(st);
        int interlude = 0;
        void Interlude(string when)
        {
            if (interlude >= s.Interludes.Length) return;
            var ops = s.Interludes[interlude++];
            for (int i = 0; i < ops.Length; i++)
            {
                var op = ops[i];
                // Fold the op into the callback's units (origin I/O within one such unit).
                if (op.Kind is DuringKind.OriginWrite or DuringKind.OriginRead)
                {
                    int unit = callbackUnits[(op.Offset / Unit) % callbackUnits.Length];
                    long start = (long)unit * Unit;
                    int size = (int)Math.Min(Unit, s.OriginBytes - start);
                    int off = op.Offset % size, len = Math.Min(op.Length, size - off);
                    op = op with { Offset = (int)(start + off), Length = len };
                    if (!InUnits(op.Offset, op.Length, 2)) throw new InvalidOperationException($"folded {op} out of the callback's units");
                }
                Apply(st, op, $"{when} op #{i} {op}");
            }
        }

        writer.Start();
        reader.Start();
        bool done;
        try
        {
            Interlude("before Run");
            done = st.Merge.Run(p =>
            {
                progress.Check(p);
                string when = $"after group {progress.Groups}{(progress.SawFinal ? " (final call)" : "")}";
                CheckSiblings(st, when);
                // The units the writer thread does not own read as the model (the callback's own writes included).
                byte[] origin = bed.ReadOrigin();
                for (int u = 0; u < units; u++)
                {
                    if (u % 3 == 1) continue;
                    int from = u * Unit, length = Math.Min(Unit, s.OriginBytes - from);
                    ViewModel.AssertSame($"{when}: origin unit {u}", st.View.AsSpan(from, length), origin.AsSpan(from, length), from);
                }
                Interlude(when);
            });
        }
        finally
        {
            stop.Cancel();
            if (!writer.Join(TimeSpan.FromSeconds(30)) | !reader.Join(TimeSpan.FromSeconds(30)))
                failures.Enqueue("a thread did not finish within 30 s of the merge (deadlock?)");
        }
        if (!failures.IsEmpty) throw new ModelMismatchException(string.Join("\n", failures));
        if (!done) throw new ModelMismatchException("Run returned false without a cancellation");
        st.Coverage.Groups = progress.Groups;
        CheckCompleted(s, st, progress, "concurrent");
        return st.Coverage;
    }
}
