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

    /// <summary>
    /// Reads the snapshot's view without taking chunk locks: the mapping is read before and after
    /// the data, and a chunk that gained an exception meanwhile is read again from the COW. That
    /// is enough because an origin write publishes the exception (copy, then mapping) before it
    /// overwrites the origin: a chunk still unmapped after the data was read had not been
    /// overwritten yet. While a merge moves chunks back, reads take the locks.
    /// </summary>
    public void Read(long offset, Span<byte> buffer)
    {
        Requests.CheckRange("snapshot", Length, offset, buffer.Length);
        if (buffer.Length == 0) return;
        using var io = Origin.EnterIo();
        EnsureValid();
        if (Origin.Merging is not null)
        {
            using var held = Origin.Locks.Lock(offset, buffer.Length, Origin.GranuleShift);
            ReadLocked(offset, buffer);
            return;
        }
        var g = Store.Geometry;
        var (first, count) = g.ChunksCovering(offset, buffer.Length);
        ulong[] before = ArrayPool<ulong>.Shared.Rent(count), after = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            Store.Lookup(first, before.AsSpan(0, count));
            ReadRuns(offset, buffer, before.AsSpan(0, count));
            Store.LookupUnmapped(first, before.AsSpan(0, count), after.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                if (before[i] != 0 || after[i] == 0) continue;
                long chunkStart = g.ChunkOffset(first + (ulong)i);
                long from = Math.Max(offset, chunkStart);
                long to = Math.Min(offset + buffer.Length, chunkStart + g.ChunkBytes);
                Store.Cow.Read(g.ChunkOffset(after[i]) + (from - chunkStart), buffer.Slice((int)(from - offset), (int)(to - from)));
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(before);
            ArrayPool<ulong>.Shared.Return(after);
        }
    }

    /// <summary>The view for a range the caller has locked: COW where the chunk has an exception, else the origin.</summary>
    internal void ReadLocked(long offset, Span<byte> buffer)
    {
        var (first, count) = Store.Geometry.ChunksCovering(offset, buffer.Length);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            Store.Lookup(first, cowChunks.AsSpan(0, count));
            ReadRuns(offset, buffer, cowChunks.AsSpan(0, count));
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    private void ReadRuns(long offset, Span<byte> buffer, ReadOnlySpan<ulong> cowChunks)
    {
        foreach (var run in ChunkRuns.Plan(offset, buffer.Length, Store.Geometry.ChunkShift, cowChunks))
        {
            var target = buffer.Slice(run.BufferOffset, run.Length);
            if (run.InCow) Store.Cow.Read(run.DeviceOffset, target);
            else Origin.Data.Read(run.DeviceOffset, target);
        }
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
        var (first, count) = g.ChunksCovering(offset, source.Length);
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
