using System.Buffers;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// Merges a snapshot into its origin with the kernel's algorithm (dm-snap.c snapshot_merge_next_chunks):
/// batches of consecutive exceptions from the end of the table backwards; for each group of
/// batches the other snapshots first get their own copies of the destination chunks, writes to
/// those chunks are fenced, the COW data is copied to the origin (reads and writes overlapped),
/// the origin is flushed, and only then are the entries zeroed and the area committed with a
/// flush. The shrinking table is the journal: killed at any point, a new run resumes from the
/// files alone. When the table is empty the snapshot is detached and the origin is plain again.
/// </summary>
public sealed class SnapshotMerge
{
    /// <summary>Data per group: one origin flush and one COW flush per group, however fragmented the table.</summary>
    public const int GroupBytes = 16 << 20;

    /// <summary>Batches per group: bounds the fence set of a fragmented table.</summary>
    public const int GroupBatches = 4096;

    private readonly ExceptionStore store;

    private SnapshotMerge(Snapshot snapshot, long? initialExceptions)
    {
        Snapshot = snapshot;
        store = snapshot.Store;
        InitialExceptions = Math.Max(initialExceptions ?? 0, store.RemainingExceptions);
    }

    public Snapshot Snapshot { get; }
    public Origin Origin => Snapshot.Origin;
    public long InitialExceptions { get; }

    /// <summary>Copy rate limit (the kernel's snapshot_copy_throttle, as bytes per second); null = unlimited.</summary>
    public long? MaxBytesPerSecond { get; set; }

    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private long bytesCopied;

    public MergeProgress Progress => new(InitialExceptions, store.RemainingExceptions, store.StatusLine());

    /// <summary>
    /// Makes the origin a merge target for the snapshot (rules: valid snapshot, no other merge on
    /// the origin, every exception inside the origin). Call <see cref="Run"/> to do the work.
    /// </summary>
    /// <param name="initialExceptions">Exceptions when the merge first started, to keep Merge% across a resume.</param>
    public static SnapshotMerge Start(Snapshot snapshot, long? initialExceptions = null)
    {
        var origin = snapshot.Origin;
        long originChunks = (origin.Length + snapshot.Store.Geometry.ChunkBytes - 1) >> snapshot.Store.Geometry.ChunkShift;
        foreach (var (oldChunk, _) in snapshot.Store.SnapshotOfExceptions())
            if (oldChunk >= (ulong)originChunks)
                throw new MergeRuleException($"{snapshot.Store.Name}: exception for origin chunk {oldChunk} lies beyond the origin ({originChunks} chunks); wrong origin?");
        origin.BeginMerge(snapshot);
        return new SnapshotMerge(snapshot, initialExceptions);
    }

    /// <summary>
    /// Merges until the table is empty (true) or <paramref name="cancel"/> stops it between groups
    /// (false; a later run resumes). An I/O error fails the merge: status "Merge failed", the origin
    /// stays readable through the remaining exceptions, and a <see cref="MergeFailedException"/> is thrown.
    /// </summary>
    public bool Run(Action<MergeProgress>? progress = null, CancellationToken cancel = default)
    {
        if (store.IsMergeFailed)
            throw new MergeFailedException($"{store.Name}: merge failed earlier ({store.MergeFailure}); reactivate to retry");
        MergeMetrics.Running.Add(1);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                bool more;
                try { more = Step(() => RunGroup(cancel)); }
                catch (OperationCanceledException) { return false; }
                if (!more)
                {
                    Step(() =>
                    {
                        Origin.Data.Flush();
                        return true;
                    });
                    Origin.Detach(Snapshot);
                    MergeMetrics.Completed.Add(1);
                    progress?.Invoke(Progress);
                    return true;
                }
                progress?.Invoke(Progress); // outside Step: a caller's exception is not a merge failure
            }
            return false;
        }
        finally
        {
            MergeMetrics.Running.Add(-1);
        }
    }

    /// <summary>Runs merge work; an I/O error fails the merge ("Merge failed") and surfaces as MergeFailedException.</summary>
    private bool Step(Func<bool> work)
    {
        try { return work(); }
        catch (Exception e) when (e is IOException or StorageException)
        {
            store.FailMerge(e.Message);
            MergeMetrics.Failed.Add(1);
            throw new MergeFailedException($"{store.Name}: merge failed: {e.Message}");
        }
    }

    private bool RunGroup(CancellationToken cancel)
    {
        using var io = Origin.EnterIo();
        var g = store.Geometry;
        var batches = store.TakeMergeBatches(GroupBatches, Math.Max(1, GroupBytes / g.ChunkBytes));
        if (batches.Count == 0) return false;
        var ranges = new List<(long Offset, long Length)>(batches.Count);
        foreach (var b in batches)
        {
            long offset = g.ChunkOffset(b.OldFirst);
            ranges.Add((offset, Math.Min((long)b.Count * g.ChunkBytes, Origin.Length - offset)));
        }
        using var fence = Origin.Locks.LockMany(ranges, Origin.GranuleShift);
        try
        {
            ProtectOtherSnapshots(ranges);
            CopyToOrigin(batches, ranges, cancel);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-group: nothing was committed, the batches go back and stay mapped.
            store.ReturnMergeBatches();
            throw;
        }
        Origin.Data.Flush(); // the data is durable in the origin before its entries go
        store.CommitMergeBatches(batches);
        MergeMetrics.ChunksMerged.Add(batches.Sum(b => (long)b.Count));
        return true;
    }

    /// <summary>Every other valid snapshot gets its own copy of the chunks about to change (one commit each).</summary>
    private void ProtectOtherSnapshots(List<(long Offset, long Length)> ranges)
    {
        var copies = new List<SnapshotCopy>();
        foreach (var other in Origin.CopyTargets())
        {
            var copy = new SnapshotCopy(other.Store);
            foreach (var (offset, length) in ranges) copy.Prepare(offset, (int)length);
            copies.Add(copy);
        }
        Origin.CopyAndCommit(copies);
    }

    private void Throttle(int copied, CancellationToken cancel)
    {
        bytesCopied += copied;
        if (MaxBytesPerSecond is not long rate) return;
        double due = (double)bytesCopied / rate;
        double ahead = due - clock.Elapsed.TotalSeconds;
        if (ahead > 0) cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(ahead));
    }

    /// <summary>
    /// COW → origin in rounds of up to <see cref="ChunkRuns.MaxRunBytes"/>: the next round is read
    /// while the current one is written. A round holds one piece of a long batch or many short
    /// batches (a fragmented table), so the overlap costs one task per 4 MiB, not per chunk.
    /// </summary>
    private void CopyToOrigin(List<MergeBatch> batches, List<(long Offset, long Length)> ranges, CancellationToken cancel)
    {
        var rounds = CopyRounds(batches, ranges);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(ChunkRuns.MaxRunBytes), ArrayPool<byte>.Shared.Rent(ChunkRuns.MaxRunBytes)];
        try
        {
            ReadRound(rounds[0], buffers[0]);
            for (int i = 0; i < rounds.Count; i++)
            {
                Task? next = null;
                if (i + 1 < rounds.Count)
                {
                    var round = rounds[i + 1];
                    byte[] into = buffers[(i + 1) % 2];
                    next = Task.Run(() => ReadRound(round, into));
                }
                try { WriteRound(rounds[i], buffers[i % 2]); }
                finally { next?.GetAwaiter().GetResult(); }
                int copied = rounds[i].Sum(p => p.Length);
                MergeMetrics.BytesCopied.Add(copied);
                Throttle(copied, cancel);
                cancel.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    /// <summary>Pieces (COW offset, origin offset, length) packed into rounds of at most one buffer.</summary>
    private List<List<(long From, long To, int Length)>> CopyRounds(List<MergeBatch> batches, List<(long Offset, long Length)> ranges)
    {
        var g = store.Geometry;
        var rounds = new List<List<(long From, long To, int Length)>> { new() };
        int filled = 0;
        for (int i = 0; i < batches.Count; i++)
        {
            long from = g.ChunkOffset(batches[i].NewFirst);
            var (to, length) = ranges[i];
            for (long done = 0; done < length;)
            {
                if (filled == ChunkRuns.MaxRunBytes)
                {
                    rounds.Add(new());
                    filled = 0;
                }
                int piece = (int)Math.Min(ChunkRuns.MaxRunBytes - filled, length - done);
                rounds[^1].Add((from + done, to + done, piece));
                filled += piece;
                done += piece;
            }
        }
        return rounds;
    }

    private void ReadRound(List<(long From, long To, int Length)> round, byte[] buffer)
    {
        int at = 0;
        foreach (var (from, _, length) in round)
        {
            store.Cow.Read(from, buffer.AsSpan(at, length));
            at += length;
        }
    }

    private void WriteRound(List<(long From, long To, int Length)> round, byte[] buffer)
    {
        int at = 0;
        foreach (var (_, to, length) in round)
        {
            Origin.Data.Write(to, buffer.AsSpan(at, length));
            at += length;
        }
    }
}
