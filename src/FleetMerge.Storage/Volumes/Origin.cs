using System.Buffers;
using System.Collections.Immutable;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// An origin volume and its snapshots, with the kernel's snapshot-origin write path: before an
/// origin chunk is overwritten, every valid snapshot lacking an exception for it gets the old data
/// copied into its COW and the mapping committed.
/// </summary>
public sealed class Origin : IDisposable
{
    private readonly IBlockFile data;
    private readonly bool ownsData;
    private readonly ReaderWriterLockSlim membership = new(LockRecursionPolicy.NoRecursion);
    private readonly RangeLocks locks = new();
    private ImmutableArray<Snapshot> snapshots = [];
    private int granuleShift = Format.ChunkGeometry.Default.ChunkShift;

    public Origin(IBlockFile data, bool ownsData = false)
    {
        this.data = data;
        this.ownsData = ownsData;
    }

    public string Name => data.Name;
    public long Length => data.Length;
    public IReadOnlyList<Snapshot> Snapshots => snapshots;
    internal IBlockFile Data => data;
    internal RangeLocks Locks => locks;
    internal int GranuleShift => granuleShift;

    /// <summary>Attaches a snapshot whose exception store belongs to this origin.</summary>
    public Snapshot Attach(ExceptionStore store)
    {
        membership.EnterWriteLock();
        try
        {
            var snapshot = new Snapshot(this, store);
            snapshots = snapshots.Add(snapshot);
            granuleShift = snapshots.Max(s => s.Store.Geometry.ChunkShift);
            return snapshot;
        }
        finally { membership.ExitWriteLock(); }
    }

    public void Detach(Snapshot snapshot)
    {
        membership.EnterWriteLock();
        try { snapshots = snapshots.Remove(snapshot); }
        finally { membership.ExitWriteLock(); }
    }

    internal MembershipScope EnterIo()
    {
        membership.EnterReadLock();
        return new MembershipScope(membership);
    }

    public void Read(long offset, Span<byte> buffer)
    {
        Requests.CheckRange("origin", Length, offset, buffer.Length);
        data.Read(offset, buffer);
    }

    /// <summary>
    /// Writes the origin. Old data goes to every valid snapshot first (copied, then its mapping
    /// durable); a snapshot whose COW fills up is invalidated and the write goes on. Large writes
    /// are done in pieces of at most <see cref="ChunkRuns.MaxRunBytes"/>, lowest offset first.
    /// </summary>
    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        Requests.CheckRange("origin", Length, offset, source.Length);
        if (source.Length == 0) return;
        using var io = EnterIo();
        int piece = Math.Max(ChunkRuns.MaxRunBytes, 1 << granuleShift);
        for (int done = 0; done < source.Length;)
        {
            // Pieces end on granule boundaries (piece >= granule) so no chunk is split between two.
            long end = Math.Min(offset + source.Length, ((offset + done + piece) >> granuleShift) << granuleShift);
            int length = (int)(end - offset - done);
            WritePiece(offset + done, source.Slice(done, length));
            done += length;
        }
    }

    private void WritePiece(long offset, ReadOnlySpan<byte> source)
    {
        using var held = locks.Lock(offset, source.Length, granuleShift);
        var copies = new List<SnapshotCopy>(snapshots.Length);
        foreach (var snapshot in snapshots)
            if (snapshot.Store.IsValid) copies.Add(PrepareCopies(snapshot.Store, offset, source.Length));
        CopyAndCommit(copies);
        data.Write(offset, source);
    }

    /// <summary>
    /// Reads the old origin data once for all snapshots, copies it into each COW and waits until
    /// every mapping is durable; snapshots are served in parallel.
    /// </summary>
    private void CopyAndCommit(List<SnapshotCopy> copies)
    {
        copies.RemoveAll(c => c.Pending.Count == 0 && !c.Full);
        if (copies.Count == 0) return;
        OldData old;
        try { old = OldData.Read(data, copies); }
        catch (Exception e) when (e is IOException or StorageException)
        {
            // Allocated exceptions that will never be copied would stall every later commit.
            foreach (var copy in copies) copy.Store.Invalidate($"reading the origin for {copy.Store.Name} failed: {e.Message}");
            throw;
        }
        try
        {
            if (copies.Count == 1) CopyAndCommit(copies[0], old);
            else Parallel.ForEach(copies, copy => CopyAndCommit(copy, old));
        }
        finally { old.Dispose(); }
    }

    private static void CopyAndCommit(SnapshotCopy copy, OldData old)
    {
        copy.CopyFrom(old);
        copy.Publish();
        copy.Store.WaitDurable(copy.Pending);
    }

    public void Flush() => data.Flush();

    /// <summary>Allocates exceptions for the chunks of [offset, offset+length) the store lacks, in ascending order.</summary>
    internal static SnapshotCopy PrepareCopies(ExceptionStore store, long offset, int length)
    {
        var g = store.Geometry;
        ulong first = g.ChunkOfByte(offset);
        int count = (int)(g.ChunkOfByte(offset + length - 1) - first + 1);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            store.Lookup(first, cowChunks.AsSpan(0, count));
            var pending = new List<PendingException>();
            bool full = false;
            for (int i = 0; i < count && !full; i++)
            {
                if (cowChunks[i] != 0) continue;
                var p = store.TryPrepare(first + (ulong)i);
                if (p is null) full = store.IsValid;
                else pending.Add(p);
            }
            return new SnapshotCopy(store, pending, full);
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    public void Dispose()
    {
        membership.Dispose();
        if (ownsData) data.Dispose();
    }

    internal readonly struct MembershipScope(ReaderWriterLockSlim gate) : IDisposable
    {
        public void Dispose() => gate.ExitReadLock();
    }
}
