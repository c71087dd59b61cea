using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Properties;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Merge;

public enum FaultOp { Read, Write, Flush }

/// <summary>The injected I/O error of a <see cref="FaultyBlockFile"/>.</summary>
public sealed class InjectedIoException(string message) : IOException(message);

/// <summary>
/// A device that fails chosen reads, writes or flushes: <see cref="FailWhen"/> is asked before every
/// operation (op, offset, length; length -1 for a flush) and a true answer throws an
/// <see cref="InjectedIoException"/> without touching the device. Null = no faults.
/// </summary>
public sealed class FaultyBlockFile(IBlockFile inner) : IBlockFile
{
    private int injected;

    public IBlockFile Inner => inner;

    /// <summary>Called from any thread (the merge reads ahead on the thread pool).</summary>
    public volatile Func<FaultOp, long, int, bool>? FailWhen;

    /// <summary>Faults thrown so far.</summary>
    public int Injected => Volatile.Read(ref injected);

    public string Name => inner.Name;
    public long Length => inner.Length;
    public bool Writable => inner.Writable;

    private void Check(FaultOp op, long offset, int length)
    {
        var fail = FailWhen;
        if (fail is null || !fail(op, offset, length)) return;
        Interlocked.Increment(ref injected);
        throw new InjectedIoException($"{Name}: injected {op.ToString().ToLowerInvariant()} error at byte {offset}");
    }

    public void Read(long offset, Span<byte> buffer)
    {
        Check(FaultOp.Read, offset, buffer.Length);
        inner.Read(offset, buffer);
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        Check(FaultOp.Write, offset, data.Length);
        inner.Write(offset, data);
    }

    public void Flush()
    {
        Check(FaultOp.Flush, 0, -1);
        inner.Flush();
    }

    public void Dispose() => inner.Dispose();

    /// <summary>A predicate that fails the <paramref name="nth"/> (1-based) matching operation only.</summary>
    public static Func<FaultOp, long, int, bool> Nth(int nth, Func<FaultOp, long, int, bool> matches)
    {
        int seen = 0;
        return (op, offset, length) => matches(op, offset, length) && Interlocked.Increment(ref seen) == nth;
    }
}

public enum BuildKind { AddSnapshot, OriginWrite, SnapshotWrite }

/// <summary>
/// One step of building the state before a merge: attach a snapshot (<see cref="Target"/> = chunk
/// bytes), write the origin, or write snapshot <see cref="Target"/> (index in attach order).
/// </summary>
public sealed record BuildOp(BuildKind Kind, int Target, long Offset, int Length, int Seed)
{
    public override string ToString() => Kind switch
    {
        BuildKind.AddSnapshot => $"attach({Target / 1024}K)",
        BuildKind.OriginWrite => $"origin.Write({Offset}, {Length})",
        _ => $"snap[{Target}].Write({Offset}, {Length})",
    };
}

/// <summary>Origin writes that give the writing snapshots' tables chosen shapes.</summary>
public static class TableShapes
{
    /// <summary>One write over chunks [first, first+count): consecutive entries, one batch per area.</summary>
    public static IEnumerable<BuildOp> Run(int originBytes, int chunk, long first, long count, int seed)
    {
        long offset = first * chunk;
        if (offset >= originBytes || count <= 0) yield break;
        long end = Math.Min(originBytes, (first + count) * chunk);
        // Engine writes are bounded by int lengths and done in pieces; keep each call below 64 MiB.
        for (long at = offset; at < end; at += 64 << 20)
        {
            int length = (int)Math.Min(64 << 20, end - at);
            yield return new BuildOp(BuildKind.OriginWrite, 0, at, length, seed++);
        }
    }

    /// <summary>
    /// One small write inside each chunk, in the order given: entries in that order, so batches of
    /// one chunk unless neighbours come in ascending order. Sub-chunk, sector-aligned or ragged.
    /// </summary>
    public static IEnumerable<BuildOp> Chunks(int originBytes, int chunk, IEnumerable<long> chunks, Random rng)
    {
        foreach (long c in chunks)
        {
            long start = c * chunk;
            if (start >= originBytes) continue;
            int size = (int)Math.Min(chunk, originBytes - start);
            int off, len;
            switch (rng.Next(3))
            {
                case 0: off = 0; len = size; break;
                case 1: off = rng.Next(size / 512) * 512; len = Math.Min(size - off, 512 * rng.Next(1, 4)); break;
                default: off = rng.Next(size); len = rng.Next(1, size - off + 1); break;
            }
            yield return new BuildOp(BuildKind.OriginWrite, 0, start + off, len, rng.Next());
        }
    }

    /// <summary>Chunks [first, first+count) written one by one from the highest down: one batch each.</summary>
    public static IEnumerable<BuildOp> Descending(int originBytes, int chunk, long first, long count, Random rng) =>
        Chunks(originBytes, chunk, Enumerable.Range(0, (int)count).Select(i => first + count - 1 - i), rng);

    /// <summary>Chunks in random order.</summary>
    public static IEnumerable<BuildOp> Shuffled(int originBytes, int chunk, long first, long count, Random rng)
    {
        long[] order = Enumerable.Range(0, (int)count).Select(i => first + i).ToArray();
        rng.Shuffle(order);
        return Chunks(originBytes, chunk, order, rng);
    }

    /// <summary>Chunks [first, first+count) cut into runs of 1..maxRun chunks, the runs written in random order.</summary>
    public static IEnumerable<BuildOp> ShuffledRuns(int originBytes, int chunk, long first, long count, int maxRun, Random rng)
    {
        var runs = new List<(long First, long Count)>();
        for (long c = first; c < first + count;)
        {
            long n = Math.Min(rng.Next(1, maxRun + 1), first + count - c);
            runs.Add((c, n));
            c += n;
        }
        var order = runs.ToArray();
        rng.Shuffle(order);
        foreach (var (f, n) in order)
            foreach (var op in Run(originBytes, chunk, f, n, rng.Next())) yield return op;
    }
}

/// <summary>
/// An origin and its snapshots on in-memory devices (each behind a <see cref="FaultyBlockFile"/>),
/// with the <see cref="ViewModel"/> kept alongside: build a state, then merge it.
/// </summary>
public sealed class MergeBed
{
    public MergeBed(byte[] initialOrigin)
    {
        OriginFile = new MemoryBlockFile((byte[])initialOrigin.Clone(), "origin");
        OriginFault = new FaultyBlockFile(OriginFile);
        Origin = new Origin(OriginFault);
        Model = new ViewModel((byte[])initialOrigin.Clone());
    }

    public MemoryBlockFile OriginFile { get; private set; }
    public FaultyBlockFile OriginFault { get; private set; }
    public Origin Origin { get; private set; }
    public ViewModel Model { get; }
    public int OriginBytes => (int)OriginFile.Length;
    public List<MemoryBlockFile> CowFiles { get; } = [];
    public List<FaultyBlockFile> CowFaults { get; } = [];
    public List<ExceptionStore> Stores { get; } = [];
    public List<Snapshot> Snapshots { get; } = [];

    public int AddSnapshot(int chunkBytes, long? cowBytes = null)
    {
        int k = Snapshots.Count;
        var file = new MemoryBlockFile(cowBytes ?? EngineRig.RoomyCowBytes(OriginBytes, chunkBytes), $"cow{k}");
        var fault = new FaultyBlockFile(file);
        var store = ExceptionStore.Format(fault, ChunkGeometry.FromBytes(chunkBytes));
        CowFiles.Add(file);
        CowFaults.Add(fault);
        Stores.Add(store);
        Snapshots.Add(Origin.Attach(store));
        Model.AddSnapshot();
        return k;
    }

    public void Apply(BuildOp op)
    {
        switch (op.Kind)
        {
            case BuildKind.AddSnapshot:
                AddSnapshot(op.Target);
                break;
            case BuildKind.OriginWrite:
            {
                byte[] data = ViewModel.Payload(op.Length, op.Seed);
                Origin.Write(op.Offset, data);
                Model.WriteOrigin(op.Offset, data);
                break;
            }
            case BuildKind.SnapshotWrite:
            {
                byte[] data = ViewModel.Payload(op.Length, op.Seed);
                Snapshots[op.Target].Write(op.Offset, data);
                Model.WriteSnapshot(op.Target, op.Offset, data);
                break;
            }
        }
    }

    public void ApplyAll(IEnumerable<BuildOp> ops)
    {
        foreach (var op in ops) Apply(op);
    }

    public byte[] ReadOrigin()
    {
        byte[] buffer = new byte[OriginBytes];
        Origin.Read(0, buffer);
        return buffer;
    }

    public byte[] ReadSnapshot(int k)
    {
        byte[] buffer = new byte[OriginBytes];
        Snapshots[k].Read(0, buffer);
        return buffer;
    }

    /// <summary>
    /// Drops every engine object and opens the devices' bytes again as an activation would:
    /// ExceptionStore.Open, a new Origin, every snapshot attached in the same order.
    /// </summary>
    public void Reactivate()
    {
        OriginFile = new MemoryBlockFile(OriginFile.Bytes, "origin");
        OriginFault = new FaultyBlockFile(OriginFile);
        Origin = new Origin(OriginFault);
        for (int k = 0; k < CowFiles.Count; k++)
        {
            CowFiles[k] = new MemoryBlockFile(CowFiles[k].Bytes, $"cow{k}");
            CowFaults[k] = new FaultyBlockFile(CowFiles[k]);
            Stores[k] = ExceptionStore.Open(CowFaults[k], StoreOpenMode.ReadWrite);
            Snapshots[k] = Origin.Attach(Stores[k]);
        }
    }
}

/// <summary>Checks shared by the merge tests.</summary>
public static class MergeChecks
{
    /// <summary>"allocated/total metadata" → numbers; throws on anything else.</summary>
    public static (long Allocated, long Total, long Metadata) ParseStatus(string status)
    {
        var parts = status.Split(' ', '/');
        if (parts.Length != 3 || !long.TryParse(parts[0], out long a) || !long.TryParse(parts[1], out long t) || !long.TryParse(parts[2], out long m))
            throw new ModelMismatchException($"status line '{status}' is not 'allocated/total metadata'");
        return (a, t, m);
    }

    /// <summary>The kernel's "merge finished": allocated == metadata.</summary>
    public static bool IsDrained(string status)
    {
        var (a, _, m) = ParseStatus(status);
        return a == m;
    }

    /// <summary>Every COW verifies clean (fsck) against the origin size.</summary>
    public static void AllCowsClean(string when, IReadOnlyList<IBlockFile> cows, long originBytes)
    {
        for (int k = 0; k < cows.Count; k++)
        {
            var findings = CowVerification.Findings(cows[k], originBytes);
            if (findings.Count > 0)
                throw new ModelMismatchException($"{when}: cow{k} does not verify: {string.Join("; ", findings.Take(4))}");
        }
    }

    /// <summary>
    /// The state a completed merge must leave: the merged table empty on disk and in memory, the
    /// status drained and the same after a fresh load, the snapshot detached and the origin plain.
    /// </summary>
    /// <param name="areasUsed">
    /// When given, metadata areas 0..areasUsed-1 must read as all zeros, as the kernel leaves them (each of its
    /// commits zeroes the merged entries in place).
    /// </param>
    public static void MergedAndPlain(string when, Origin origin, Snapshot merged, IBlockFile mergedCow, int? areasUsed = null)
    {
        var store = merged.Store;
        if (origin.Merging is not null)
            throw new ModelMismatchException($"{when}: the origin still merges {origin.Merging.Store.Name}");
        if (origin.Snapshots.Contains(merged))
            throw new ModelMismatchException($"{when}: the merged snapshot is still attached");
        if (store.RemainingExceptions != 0 || store.ExceptionCount != 0)
            throw new ModelMismatchException($"{when}: {store.RemainingExceptions} exceptions left in the merged store");
        if (!store.IsMergeComplete)
            throw new ModelMismatchException($"{when}: IsMergeComplete is false");
        string status = store.StatusLine();
        if (!IsDrained(status))
            throw new ModelMismatchException($"{when}: merged store status '{status}' does not show allocated == metadata");
        var g = ChunkGeometry.FromSectors(ExceptionStore.ReadHeader(mergedCow).ChunkSectors);
        var table = ExceptionTable.Read(mergedCow, g);
        if (table.Entries.Count != 0 || table.CurrentArea != 0)
            throw new ModelMismatchException($"{when}: the merged table on disk still has {table.Entries.Count} entries (current area {table.CurrentArea})");
        if (areasUsed is int areas)
        {
            byte[] bytes = Bytes(mergedCow);
            for (ulong a = 0; a < (ulong)areas; a++)
            {
                long at = g.ChunkOffset(g.AreaChunk(a));
                if (at + g.ChunkBytes > bytes.Length) break;
                int nonZero = bytes.AsSpan((int)at, g.ChunkBytes).IndexOfAnyExcept((byte)0);
                if (nonZero >= 0)
                    throw new ModelMismatchException($"{when}: metadata area {a} of the merged store still holds entry {nonZero / ChunkGeometry.EntryBytes} after the merge");
            }
        }
        using var reloaded = ExceptionStore.Open(new MemoryBlockFile(Bytes(mergedCow)), StoreOpenMode.ReadOnly);
        if (reloaded.StatusLine() != status)
            throw new ModelMismatchException($"{when}: status '{status}' in memory, '{reloaded.StatusLine()}' on a fresh load");
    }

    /// <summary>The bytes behind a memory device, through fault wrappers.</summary>
    public static byte[] Bytes(IBlockFile file) => file switch
    {
        MemoryBlockFile m => m.Bytes,
        FaultyBlockFile f => Bytes(f.Inner),
        _ => throw new ArgumentException($"{file.Name} is not a memory device"),
    };
}
