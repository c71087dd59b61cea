using System.Text;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.Store;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Storage.Tests.Properties;

/// <summary>
/// A thread's step: write or read <see cref="View"/> (-1 = origin, k = snapshot k modulo the
/// count) in the thread's own units. <see cref="Pick"/>, <see cref="Start"/> choose the unit and
/// the offset in it; the range may run on into the following units the thread also owns.
/// </summary>
public sealed record ThreadStep(int View, bool Read, int Pick, int Start, int Length, int Seed)
{
    public override string ToString() =>
        $"{(View < 0 ? "origin" : $"snap[{View}]")}.{(Read ? "Read" : "Write")}(unit pick {Pick}, +{Start}, {Length}B #{Seed})";
}

/// <summary>
/// Threads each own the 4 KiB units u with (u / RunUnits) % Threads == t, in every view. Units are
/// the smallest chunk size, so threads share the bigger chunks of 8K..64K snapshots.
/// </summary>
public sealed record OwnedChunksScenario(int OriginBytes, int[] ChunkSizes, int RunUnits, ThreadStep[][] Threads, int Seed)
{
    public override string ToString()
    {
        var s = new StringBuilder(
            $"origin {OriginBytes} B (seed {Seed}), snapshots [{string.Join(", ", ChunkSizes.Select(c => c / 1024 + "K"))}], {Threads.Length} threads, runs of {RunUnits} units:");
        for (int t = 0; t < Threads.Length; t++)
            s.Append($"\n  thread {t}: {string.Join("; ", Threads[t].Select(x => x.ToString()))}");
        return s.ToString();
    }
}

/// <summary>
/// Writers hammer the same hot chunks. Writer t writes only view <c>Views[t]</c> (-1 = origin,
/// k = snapshot k modulo the count), always with its own fill byte. Readers read snapshots meanwhile.
/// </summary>
public sealed record SameChunksScenario(int OriginBytes, int[] ChunkSizes, int HotBytes, int[] Views, (int Offset, int Length)[][] Writers, int Readers, int Seed)
{
    public int ViewOf(int writer) => Views[writer] < 0 ? -1 : Views[writer] % ChunkSizes.Length;

    public override string ToString()
    {
        var s = new StringBuilder(
            $"origin {OriginBytes} B (seed {Seed}), snapshots [{string.Join(", ", ChunkSizes.Select(c => c / 1024 + "K"))}], hot region {HotBytes} B, {Readers} snapshot readers:");
        for (int t = 0; t < Writers.Length; t++)
            s.Append($"\n  writer {t} -> {(ViewOf(t) < 0 ? "origin" : $"snapshot {ViewOf(t)}")} (fill 0x{FillOf(t):x2}): {string.Join(" ", Writers[t].Select(w => $"{w.Offset}+{w.Length}"))}");
        return s.ToString();
    }

    public static byte FillOf(int writer) => (byte)(0xA1 + writer);

    /// <summary>For each byte of a view, the fills of the writers of that view whose ranges cover it (null: none).</summary>
    public List<byte>?[] CoverageOf(int view)
    {
        var covered = new List<byte>?[OriginBytes];
        for (int t = 0; t < Writers.Length; t++)
        {
            if (ViewOf(t) != view) continue;
            foreach (var (offset, length) in Writers[t])
                for (int b = offset; b < offset + length; b++)
                    (covered[b] ??= []).Add(FillOf(t));
        }
        return covered;
    }

    /// <summary>
    /// Each byte is the original if no writer of the view covered it, else the fill of one that did
    /// (or, while the writers may still be running, the original).
    /// </summary>
    public static void CheckBytes(string what, ReadOnlySpan<byte> actual, long offset, byte[] initial, List<byte>?[] coverage, bool writersRunning = false)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            long b = offset + i;
            bool ok = coverage[b] is { } fills
                ? fills.Contains(actual[i]) || (writersRunning && actual[i] == initial[b])
                : actual[i] == initial[b];
            if (!ok)
                throw new ModelMismatchException(
                    $"{what}: byte {b} is 0x{actual[i]:x2}; allowed: " +
                    (coverage[b] is { } f
                        ? $"fills {string.Join(",", f.Distinct().Select(x => $"0x{x:x2}"))} of the writers covering it{(writersRunning ? $" or the original 0x{initial[b]:x2}" : "")}"
                        : $"only the original 0x{initial[b]:x2}"));
        }
    }
}

/// <summary>Property 3: concurrent I/O on the origin and the snapshots.</summary>
public class ConcurrencyProperties
{
    private const int Unit = 4096;

    private static Gen<OwnedChunksScenario> OwnedScenarios =>
        from size in Gen.Elements(256 * 1024, 512 * 1024 - 512, 512 * 1024)
        from snapshots in Gen.Choose(1, 3)
        from chunks in StorageGen.Chunk.ArrayOf(snapshots)
        from runUnits in Gen.Elements(1, 1, 2, 3, 16)
        from threads in Gen.Choose(2, 4)
        from steps in Gen.Choose(5, 30).SelectMany(n => StepGen.ArrayOf(n)).ArrayOf(threads)
        from seed in StorageGen.AnySeed
        select new OwnedChunksScenario(size, chunks, runUnits, steps, seed);

    private static Gen<ThreadStep> StepGen =>
        from view in Gen.Frequency((2, Gen.Constant(-1)), (3, Gen.Choose(0, 5)))
        from read in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from pick in Gen.Choose(0, int.MaxValue)
        from start in Gen.Frequency((3, Gen.Choose(0, Unit - 1)), (1, Gen.Elements(0, 512, Unit - 512, Unit - 1)))
        from length in Gen.Frequency((2, Gen.Choose(1, 511)), (3, Gen.Choose(1, Unit)), (2, Gen.Choose(Unit, 3 * Unit)), (1, Gen.Choose(1, 20 * Unit)))
        from seed in StorageGen.AnySeed
        select new ThreadStep(view, read, pick, start, length, seed);

    private static IEnumerable<OwnedChunksScenario> Shrink(OwnedChunksScenario s)
    {
        for (int t = 0; t < s.Threads.Length; t++)
            foreach (var fewer in StorageGen.DropSome(s.Threads[t]))
            {
                var threads = (ThreadStep[][])s.Threads.Clone();
                threads[t] = fewer;
                yield return s with { Threads = threads };
            }
    }

    [Property(MaxTest = 80, QuietOnSuccess = true)]
    public Property Threads_owning_disjoint_chunks_end_in_the_model_state() =>
        Prop.ForAll(Arb.From(OwnedScenarios, Shrink), RunOwned);

    private static void RunOwned(OwnedChunksScenario s)
    {
        int threads = s.Threads.Length;
        int units = (s.OriginBytes + Unit - 1) / Unit;
        int Owner(int unit) => unit / s.RunUnits % threads;
        byte[] initial = ViewModel.Payload(s.OriginBytes, s.Seed);
        var model = new ViewModel((byte[])initial.Clone());
        using var rig = new EngineRig(new MemoryBacking(), initial);
        foreach (int chunk in s.ChunkSizes)
        {
            rig.AddSnapshot(chunk, EngineRig.RoomyCowBytes(s.OriginBytes, chunk));
            model.AddSnapshot();
        }
        int snapshots = s.ChunkSizes.Length;

        // Each thread applies its own steps to the model too: it alone touches its bytes, in every
        // view, so it can check its reads against the model while the others run.
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            int[] mine = Enumerable.Range(0, units).Where(u => Owner(u) == t).ToArray();
            start.SignalAndWait();
            if (mine.Length == 0) return;
            for (int i = 0; i < s.Threads[t].Length; i++)
            {
                var step = s.Threads[t][i];
                int unit = mine[step.Pick % mine.Length];
                long unitStart = (long)unit * Unit;
                long unitEnd = Math.Min(unitStart + Unit, s.OriginBytes);
                long offset = unitStart + step.Start % (unitEnd - unitStart);
                long runEnd = unitEnd; // extend through the following units this thread owns
                while (runEnd < s.OriginBytes && Owner((int)(runEnd / Unit)) == t) runEnd = Math.Min(runEnd + Unit, s.OriginBytes);
                int length = (int)Math.Min(step.Length, runEnd - offset);
                int view = step.View < 0 ? -1 : step.View % snapshots;
                string where = $"thread {t} step #{i} {step} -> {(view < 0 ? "origin" : $"snapshot {view}")} {offset}+{length}";
                try
                {
                    if (step.Read)
                    {
                        byte[] buffer = new byte[length];
                        if (view < 0) rig.Origin.Read(offset, buffer);
                        else rig.Snapshot(view).Read(offset, buffer);
                        byte[] expected = view < 0 ? model.Origin : model.Snapshots[view];
                        ViewModel.AssertSame(where, expected.AsSpan((int)offset, length), buffer, offset);
                    }
                    else
                    {
                        byte[] data = ViewModel.Payload(length, step.Seed);
                        if (view < 0) { rig.Origin.Write(offset, data); model.WriteOrigin(offset, data); }
                        else { rig.Snapshot(view).Write(offset, data); model.WriteSnapshot(view, offset, data); }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{where}: {e.GetType().Name}: {e.Message}");
                    return;
                }
            }
        })).ToList();
        foreach (var w in workers) w.Start();
        foreach (var w in workers)
            if (!w.Join(TimeSpan.FromSeconds(60)))
                throw new ModelMismatchException("a worker thread did not finish within 60 s (deadlock?)");
        if (!failures.IsEmpty) throw new ModelMismatchException(string.Join("\n", failures));

        rig.CheckAllViews(model, "after all threads");
        for (int k = 0; k < snapshots; k++)
            if (!rig.Store(k).IsValid) throw new ModelMismatchException($"snapshot {k} became invalid: {rig.Store(k).InvalidReason}");
        rig.CloseAndReopen();
        rig.CheckAllViews(model, "after reopen");
    }

    private static Gen<SameChunksScenario> SameScenarios =>
        from size in Gen.Elements(64 * 1024, 128 * 1024 + 512, 256 * 1024)
        from snapshots in Gen.Choose(1, 3)
        from chunks in StorageGen.Chunk.ArrayOf(snapshots)
        from hot in Gen.Elements(4096, 16384, 65536)
        let hotBytes = Math.Min(hot, size)
        from originWriters in Gen.Choose(2, 4)
        // Half the scenarios have origin writers only: then every snapshot must stay the original.
        from snapshotWriters in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
        from snapshotViews in Gen.Choose(0, 5).ArrayOf(snapshotWriters)
        from writes in Gen.Choose(3, 25).SelectMany(n => StorageGen.Range(hotBytes, maxChunks: 2).ArrayOf(n)).ArrayOf(originWriters + snapshotWriters)
        from readers in Gen.Choose(0, 2)
        from seed in StorageGen.AnySeed
        select new SameChunksScenario(size, chunks, hotBytes, [.. Enumerable.Repeat(-1, originWriters), .. snapshotViews], writes, readers, seed);

    private static IEnumerable<SameChunksScenario> ShrinkSame(SameChunksScenario s)
    {
        if (s.Readers > 0) yield return s with { Readers = 0 };
        for (int t = 0; t < s.Writers.Length; t++)
            foreach (var fewer in StorageGen.DropSome(s.Writers[t]))
            {
                var writers = ((int, int)[][])s.Writers.Clone();
                writers[t] = fewer;
                yield return s with { Writers = writers };
            }
    }

    [Property(MaxTest = 60, QuietOnSuccess = true)]
    public Property Concurrent_origin_writes_to_the_same_chunks_never_leak_into_snapshots() =>
        Prop.ForAll(Arb.From(SameScenarios, ShrinkSame), s => RunSame(s, new MemoryBacking()));

    [Property(MaxTest = 15, QuietOnSuccess = true)]
    public Property Concurrent_origin_writes_to_the_same_chunks_on_image_files() =>
        Prop.ForAll(Arb.From(SameScenarios, ShrinkSame), s => RunSame(s, new FileBacking()));

    private static void RunSame(SameChunksScenario s, IDeviceBacking backing)
    {
        byte[] initial = ViewModel.Payload(s.OriginBytes, s.Seed);
        using var rig = new EngineRig(backing, initial);
        foreach (int chunk in s.ChunkSizes) rig.AddSnapshot(chunk, EngineRig.RoomyCowBytes(s.OriginBytes, chunk));
        int snapshots = s.ChunkSizes.Length;
        var coverage = Enumerable.Range(0, snapshots).Select(s.CoverageOf).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int writersLeft = s.Writers.Length;
        using var start = new Barrier(s.Writers.Length + s.Readers);
        var threads = new List<Thread>();
        for (int t = 0; t < s.Writers.Length; t++)
        {
            int writer = t;
            int view = s.ViewOf(t);
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    foreach (var (offset, length) in s.Writers[writer])
                    {
                        byte[] data = new byte[length];
                        data.AsSpan().Fill(SameChunksScenario.FillOf(writer));
                        if (view < 0) rig.Origin.Write(offset, data);
                        else rig.Snapshot(view).Write(offset, data);
                    }
                }
                catch (Exception e) { failures.Enqueue($"writer {writer}: {e.GetType().Name}: {e.Message}"); }
                finally { Interlocked.Decrement(ref writersLeft); }
            }));
        }
        for (int r = 0; r < s.Readers; r++)
        {
            int reader = r;
            threads.Add(new Thread(() =>
            {
                start.SignalAndWait();
                var rnd = new Random(s.Seed + reader);
                try
                {
                    // While the writers run, a snapshot read never shows an origin writer's bytes.
                    do
                    {
                        int k = rnd.Next(snapshots);
                        int offset = rnd.Next(s.HotBytes);
                        int length = rnd.Next(1, Math.Min(65536, s.OriginBytes - offset) + 1);
                        byte[] buffer = new byte[length];
                        rig.Snapshot(k).Read(offset, buffer);
                        SameChunksScenario.CheckBytes($"reader {reader}: snapshot {k} read {offset}+{length} during the writes",
                            buffer, offset, initial, coverage[k], writersRunning: true);
                        Thread.Yield();
                    } while (Volatile.Read(ref writersLeft) > 0);
                }
                catch (Exception e) { failures.Enqueue($"reader {reader}: {e.GetType().Name}: {e.Message}"); }
            }));
        }
        foreach (var th in threads) th.Start();
        foreach (var th in threads)
            if (!th.Join(TimeSpan.FromSeconds(60)))
                throw new ModelMismatchException("a thread did not finish within 60 s (deadlock?)");
        if (!failures.IsEmpty) throw new ModelMismatchException(string.Join("\n", failures));

        CheckSameOutcome(rig, s, initial, coverage, "after the writers");
        rig.CloseAndReopen();
        CheckSameOutcome(rig, s, initial, coverage, "after reopen");
    }

    private static void CheckSameOutcome(EngineRig rig, SameChunksScenario s, byte[] initial, List<byte>?[][] coverage, string when)
    {
        byte[] buffer = new byte[s.OriginBytes];
        for (int k = 0; k < s.ChunkSizes.Length; k++)
        {
            var store = rig.Store(k);
            if (!store.IsValid) throw new ModelMismatchException($"{when}: snapshot {k} invalid: {store.InvalidReason}");
            Array.Clear(buffer);
            rig.Snapshot(k).Read(0, buffer);
            if (coverage[k].All(c => c is null)) ViewModel.AssertSame($"{when}: snapshot {k} view", initial, buffer);
            else SameChunksScenario.CheckBytes($"{when}: snapshot {k} view", buffer, 0, initial, coverage[k]);

            // One exception per chunk written through the origin or this snapshot, no more, on the
            // first data chunks of the COW.
            var g = ChunkGeometry.FromBytes(s.ChunkSizes[k]);
            var touched = Enumerable.Range(0, s.Writers.Length)
                .Where(t => s.ViewOf(t) < 0 || s.ViewOf(t) == k)
                .SelectMany(t => s.Writers[t])
                .SelectMany(w => Enumerable.Range((int)g.ChunkOfByte(w.Offset), (int)(g.ChunkOfByte(w.Offset + w.Length - 1) - g.ChunkOfByte(w.Offset)) + 1))
                .Select(c => (ulong)c).ToHashSet();
            var table = store.SnapshotOfExceptions();
            if (!table.Keys.ToHashSet().SetEquals(touched))
                throw new ModelMismatchException(
                    $"{when}: snapshot {k} has exceptions for {table.Count} chunks, the writers touched {touched.Count}");
            var expected = new KernelAllocatorModel(s.ChunkSizes[k], store.CowBytes);
            foreach (ulong c in touched.Order()) expected.Write(g.ChunkOffset(c), 1);
            if (!table.Values.Order().SequenceEqual(expected.Map.Values.Order()))
                throw new ModelMismatchException($"{when}: snapshot {k} uses COW chunks other than the first {touched.Count} data chunks");
            if (store.StatusLine() != expected.StatusLine)
                throw new ModelMismatchException($"{when}: snapshot {k} status '{store.StatusLine()}', expected '{expected.StatusLine}'");
        }

        rig.Origin.Read(0, buffer);
        SameChunksScenario.CheckBytes($"{when}: origin view", buffer, 0, initial, s.CoverageOf(-1));
    }
}
