using System.Buffers;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// A snapshot device: reads come from the COW where the chunk has an exception, else from the
/// origin; writes allocate an exception (filling a partial chunk from the origin) and go to the COW.
/// </summary>
public sealed class Snapshot
{
    internal Snapshot(Origin origin, ExceptionStore store)
    {
        Origin = origin;
        Store = store;
    }

    public Origin Origin { get; }
    public ExceptionStore Store { get; }
    public long Length => Origin.Length;

    public void Read(long offset, Span<byte> buffer)
    {
        Requests.CheckRange("snapshot", Length, offset, buffer.Length);
        if (buffer.Length == 0) return;
        using var io = Origin.EnterIo();
        using var held = Origin.Locks.Lock(offset, buffer.Length, Origin.GranuleShift);
        EnsureValid();
        ReadLocked(offset, buffer);
    }

    /// <summary>The view for a range the caller has locked: COW where the chunk has an exception, else the origin.</summary>
    internal void ReadLocked(long offset, Span<byte> buffer)
    {
        var g = Store.Geometry;
        ulong first = g.ChunkOfByte(offset);
        int count = (int)(g.ChunkOfByte(offset + buffer.Length - 1) - first + 1);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            Store.Lookup(first, cowChunks.AsSpan(0, count));
            foreach (var run in ChunkRuns.Plan(offset, buffer.Length, g.ChunkShift, cowChunks.AsSpan(0, count)))
            {
                var target = buffer.Slice(run.BufferOffset, run.Length);
                if (run.InCow) Store.Cow.Read(run.DeviceOffset, target);
                else Origin.Data.Read(run.DeviceOffset, target);
            }
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    /// <summary>
    /// Writes through the snapshot. New exceptions are committed before the call returns. When the
    /// COW runs out the snapshot is invalidated (persistent store "P") and the write fails.
    /// </summary>
    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        Requests.CheckRange("snapshot", Length, offset, source.Length);
        if (source.Length == 0) return;
        using var io = Origin.EnterIo();
        using var held = Origin.Locks.Lock(offset, source.Length, Origin.GranuleShift);
        EnsureValid();
        if (Origin.Merging == this)
            throw new MergeRuleException($"{Store.Name}: snapshot is merging into its origin; write to the origin instead");
        if (Store.IsOverflowed)
            throw new SnapshotOverflowException($"{Store.Name}: snapshot has overflowed; it refuses writes");
        var g = Store.Geometry;
        ulong first = g.ChunkOfByte(offset);
        int count = (int)(g.ChunkOfByte(offset + source.Length - 1) - first + 1);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            var chunks = cowChunks.AsSpan(0, count);
            Store.Lookup(first, chunks);
            var pending = new List<PendingException>();
            bool full = false;
            for (int i = 0; i < count; i++)
            {
                if (chunks[i] != 0) continue;
                if (full) continue;
                var p = Store.TryPrepare(first + (ulong)i);
                if (p is null) { full = true; continue; }
                pending.Add(p);
                chunks[i] = p.NewChunk;
            }
            try
            {
                // A new exception only partly covered by this write starts as a copy of the origin chunk.
                foreach (var p in pending)
                    if (!CoversWholeChunk(p.OldChunk, offset, source.Length))
                        CopyOriginChunk(p);
                if (full && Store.OverflowPolicy == OverflowPolicy.Invalidate)
                    WriteWholeChunksOf(pending, offset, source);
                else
                    foreach (var run in ChunkRuns.Plan(offset, source.Length, g.ChunkShift, chunks))
                        if (run.InCow) // under "PO" chunks past the overflow have no exception and get nothing
                            Store.Cow.Write(run.DeviceOffset, source.Slice(run.BufferOffset, run.Length));
            }
            catch (Exception e) when (e is IOException or StorageException)
            {
                // Allocated exceptions that will never be copied would stall every later commit.
                Store.Invalidate($"write to {Store.Name} failed: {e.Message}");
                throw new SnapshotInvalidException($"{Store.Name}: snapshot write failed, snapshot is now invalid: {e.Message}");
            }
            if (full && Store.OverflowPolicy == OverflowPolicy.Invalidate)
            {
                // As the kernel: chunks allocated before the overflow got their data, none is committed.
                Store.Invalidate($"{Store.Name}: COW full, snapshot dropped");
                throw new SnapshotInvalidException($"{Store.Name}: snapshot COW is full; the snapshot is now invalid");
            }
            Store.MarkCopied(pending);
            if (!Store.WaitDurable(pending))
                throw new SnapshotInvalidException($"{Store.Name}: snapshot became invalid: {Store.InvalidReason}");
            if (full)
            {
                // "PO": what got an exception keeps it (and its data); the snapshot refuses writes from now on.
                Store.MarkOverflowed();
                throw new SnapshotOverflowException($"{Store.Name}: snapshot COW is full (overflow); the snapshot is read-only now");
            }
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    private void EnsureValid()
    {
        if (!Store.IsValid)
            throw new SnapshotInvalidException($"{Store.Name}: snapshot is invalid ({Store.InvalidReason ?? "marked invalid"})");
    }

    private bool CoversWholeChunk(ulong chunk, long offset, int length)
    {
        long start = Store.Geometry.ChunkOffset(chunk);
        long end = Math.Min(start + Store.Geometry.ChunkBytes, Length);
        return offset <= start && offset + length >= end;
    }

    private void CopyOriginChunk(PendingException p)
    {
        var g = Store.Geometry;
        long from = g.ChunkOffset(p.OldChunk);
        int length = (int)Math.Min(g.ChunkBytes, Length - from);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Origin.Data.Read(from, buffer.AsSpan(0, length));
            Store.Cow.Write(g.ChunkOffset(p.NewChunk), buffer.AsSpan(0, length));
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private void WriteWholeChunksOf(List<PendingException> pending, long offset, ReadOnlySpan<byte> source)
    {
        var g = Store.Geometry;
        foreach (var p in pending)
        {
            if (!CoversWholeChunk(p.OldChunk, offset, source.Length)) continue;
            long start = g.ChunkOffset(p.OldChunk);
            int length = (int)Math.Min(g.ChunkBytes, Length - start);
            Store.Cow.Write(g.ChunkOffset(p.NewChunk), source.Slice((int)(start - offset), length));
        }
    }
}
