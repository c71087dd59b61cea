using System.Buffers;
using System.Collections.Immutable;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// An origin volume and its snapshots, with the kernel's snapshot-origin write path: before an
/// origin chunk is overwritten, every valid snapshot lacking an exception for it gets the old data
/// copied into its COW and the mapping committed.
/// <para>
/// While a snapshot merges into it (the kernel's snapshot-merge target), origin I/O sees the
/// merging snapshot: chunks that still have an exception are read from and written to its COW;
/// the rest goes to the origin after the other snapshots got their copies.
/// </para>
/// </summary>
public sealed class Origin : IDisposable
{
    private readonly IBlockFile data;
    private readonly bool ownsData;
    private readonly ReaderWriterLockSlim membership = new(LockRecursionPolicy.NoRecursion);
    private readonly RangeLocks locks = new();
    private ImmutableArray<Snapshot> snapshots = [];
    private Snapshot? merging;
    private int granuleShift = Format.ChunkGeometry.Default.ChunkShift;

    public Origin(IBlockFile data, bool ownsData = false)
    {
        this.data = data;
        this.ownsData = ownsData;
    }

    public string Name => data.Name;
    public long Length => data.Length;

    /// <summary>Every attached snapshot, the merging one included.</summary>
    public IReadOnlyList<Snapshot> Snapshots => snapshots;

    /// <summary>The snapshot merging into this origin, if any.</summary>
    public Snapshot? Merging => merging;

    internal IBlockFile Data => data;
    internal RangeLocks Locks => locks;
    internal int GranuleShift => granuleShift;

    /// <summary>Attaches a snapshot whose exception store belongs to this origin. Refused while merging.</summary>
    public Snapshot Attach(ExceptionStore store)
    {
        membership.EnterWriteLock();
        try
        {
            if (merging is not null)
                throw new MergeRuleException($"{Name}: origin is merging {merging.Store.Name}; no new snapshot until the merge ends");
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
        try
        {
            snapshots = snapshots.Remove(snapshot);
            if (merging == snapshot) merging = null;
        }
        finally { membership.ExitWriteLock(); }
    }

    /// <summary>
    /// Turns this origin into a merge target for <paramref name="snapshot"/>: from now on origin
    /// I/O goes through the snapshot's exceptions. Refused for an invalid snapshot, a snapshot of
    /// another origin, or when a merge is already running.
    /// </summary>
    internal void BeginMerge(Snapshot snapshot)
    {
        membership.EnterWriteLock();
        try
        {
            if (snapshot.Origin != this || !snapshots.Contains(snapshot))
                throw new MergeRuleException($"{snapshot.Store.Name}: not a snapshot of {Name}");
            if (merging is not null)
                throw new MergeRuleException($"{Name}: cannot merge {snapshot.Store.Name}: origin is already merging {merging.Store.Name}");
            if (!snapshot.Store.IsValid)
                throw new MergeRuleException($"{snapshot.Store.Name}: snapshot is invalid; an invalid snapshot cannot be merged");
            snapshot.Store.BeginMerge();
            merging = snapshot;
        }
        finally { membership.ExitWriteLock(); }
    }

    internal MembershipScope EnterIo()
    {
        membership.EnterReadLock();
        return new MembershipScope(membership);
    }

    /// <summary>Snapshots that receive copies before the origin changes: valid, and not the merging one.</summary>
    internal IEnumerable<Snapshot> CopyTargets()
    {
        foreach (var s in snapshots)
            if (s != merging && s.Store.IsValid) yield return s;
    }

    public void Read(long offset, Span<byte> buffer)
    {
        Requests.CheckRange("origin", Length, offset, buffer.Length);
        if (buffer.Length == 0) return;
        using var io = EnterIo();
        if (merging is null)
        {
            data.Read(offset, buffer);
            return;
        }
        using var held = locks.Lock(offset, buffer.Length, granuleShift);
        merging.ReadLocked(offset, buffer);
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
            using (locks.Lock(offset + done, length, granuleShift))
            {
                if (merging is null) WriteThrough(offset + done, source.Slice(done, length));
                else WriteWhileMerging(offset + done, source.Slice(done, length));
            }
            done += length;
        }
    }

    /// <summary>Flushes the origin and, while merging, the merging COW (a flush reaches both).</summary>
    public void Flush()
    {
        data.Flush();
        merging?.Store.Flush();
    }

    /// <summary>The snapshot-origin path for a locked range: copies first, then the origin.</summary>
    private void WriteThrough(long offset, ReadOnlySpan<byte> source)
    {
        var copies = new List<SnapshotCopy>();
        foreach (var snapshot in CopyTargets())
        {
            var copy = new SnapshotCopy(snapshot.Store);
            copy.Prepare(offset, source.Length);
            copies.Add(copy);
        }
        CopyAndCommit(copies);
        data.Write(offset, source);
    }

    /// <summary>
    /// The snapshot-merge path for a locked range: chunks the merging snapshot still holds are
    /// written into its COW (a later batch carries them to the origin); the others go to the origin.
    /// </summary>
    private void WriteWhileMerging(long offset, ReadOnlySpan<byte> source)
    {
        var store = merging!.Store;
        var g = store.Geometry;
        var (first, count) = g.ChunksCovering(offset, source.Length);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            store.Lookup(first, cowChunks.AsSpan(0, count));
            foreach (var run in ChunkRuns.Plan(offset, source.Length, g.ChunkShift, cowChunks.AsSpan(0, count)))
            {
                var slice = source.Slice(run.BufferOffset, run.Length);
                long at = offset + run.BufferOffset;
                if (!run.InCow) WriteThrough(at, slice);
                else
                {
                    store.Cow.Write(run.DeviceOffset, slice);
                    var (runFirst, runCount) = g.ChunksCovering(at, run.Length);
                    if (store.IsInDoubt(runFirst, runCount))
                        WriteThrough(at, slice); // its entry may already be gone on disk
                }
            }
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    /// <summary>
    /// Reads the old origin data once for all snapshots, copies it into each COW and waits until
    /// every mapping is durable; snapshots are served in parallel.
    /// </summary>
    internal void CopyAndCommit(List<SnapshotCopy> copies)
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
