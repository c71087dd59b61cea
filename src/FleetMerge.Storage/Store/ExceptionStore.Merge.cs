using FleetMerge.Storage.Format;

namespace FleetMerge.Storage.Store;

/// <summary>
/// Snapshot merge on the store (the kernel's persistent_prepare_merge / persistent_commit_merge):
/// the table shrinks from its end, batch by batch, and is the merge's only journal. A store being
/// merged takes no new exceptions.
/// </summary>
public sealed partial class ExceptionStore
{
    private bool merging;
    private int mergeTaken; // entries at the end of the current area handed out but not yet committed
    private readonly List<ulong> usedUpAreas = new(); // areas emptied by batches handed out, zeroed at commit
    private ulong takenFromArea; // where the table stood before the batches handed out
    private int takenFromFill;

    /// <summary>True once <see cref="BeginMerge"/> ran: no more allocations.</summary>
    public bool IsMerging { get { lock (sync) return merging; } }

    /// <summary>Stops allocation; the store is now drained by merge batches. Requires a valid store.</summary>
    public void BeginMerge()
    {
        lock (sync)
        {
            if (!valid) throw new SnapshotInvalidException($"{cow.Name}: snapshot is invalid; an invalid snapshot cannot be merged");
            if (inFlight.Count > 0 || inArea.Count > 0)
                throw new StorageException($"{cow.Name}: exceptions are still being committed; cannot start a merge now");
            merging = true;
        }
    }

    /// <summary>Entries still in the table (the committed exceptions not yet merged).</summary>
    public long RemainingExceptions { get { lock (sync) return exceptions.Count; } }

    /// <summary>
    /// Hands out the next batches, walking the table backwards from its end, each batch the
    /// longest run of entries whose old and new chunks both step down by one, never crossing an
    /// area. When an area is used up the walk goes on in the previous one, read from disk (the
    /// used-up area is written as zeros at commit). Stops at <paramref name="maxChunks"/> chunks or
    /// <paramref name="maxBatches"/> batches. Empty when the table is empty: the merge is complete.
    /// Batches handed out must be committed before the next call.
    /// </summary>
    public List<MergeBatch> TakeMergeBatches(int maxBatches, int maxChunks)
    {
        var batches = new List<MergeBatch>();
        lock (sync)
        {
            if (!merging) throw new InvalidOperationException("TakeMergeBatches before BeginMerge");
            if (mergeTaken != 0 || usedUpAreas.Count != 0) throw new InvalidOperationException("previous merge batches not committed");
            takenFromArea = currentArea;
            takenFromFill = areaFill;
            int chunks = 0;
            int fill = areaFill;
            while (batches.Count < maxBatches && chunks < maxChunks)
            {
                if (fill == 0)
                {
                    if (currentArea == 0) break;
                    if (areaFill > 0) usedUpAreas.Add(currentArea); // it held entries: zero it on disk at commit
                    cow.Read(Geometry.ChunkOffset(Geometry.AreaChunk(currentArea - 1)), area);
                    currentArea--;
                    areaFill = fill = Geometry.ExceptionsPerArea;
                    CheckFullArea();
                }
                var last = DiskException.Read(area, fill - 1);
                int n = 1;
                int limit = Math.Min(fill, maxChunks - chunks);
                while (n < limit)
                {
                    var e = DiskException.Read(area, fill - 1 - n);
                    if (e.OldChunk != last.OldChunk - (ulong)n || e.NewChunk != last.NewChunk - (ulong)n) break;
                    n++;
                }
                batches.Add(new MergeBatch(last.OldChunk - (ulong)n + 1, last.NewChunk - (ulong)n + 1, n));
                chunks += n;
                fill -= n;
            }
            mergeTaken = areaFill - fill;
        }
        return batches;
    }

    /// <summary>
    /// An earlier area is full by construction; a terminator in it means the table changed under
    /// this merge (another process merged it) and taking zero entries would copy the header over
    /// origin chunk 0.
    /// </summary>
    private void CheckFullArea()
    {
        for (int i = 0; i < Geometry.ExceptionsPerArea; i++)
            if (DiskException.Read(area, i).IsTerminator)
                throw new StoreFormatException(
                    $"{cow.Name}: metadata area {currentArea} should be full but ends at entry {i}: the table changed under the merge");
    }

    /// <summary>
    /// Gives back batches handed out but not committed (a merge stopped in the middle of a group):
    /// the table position returns to where it was and their chunks stay mapped. Nothing on disk
    /// changed, so a later run takes them again.
    /// </summary>
    public void ReturnMergeBatches()
    {
        lock (sync)
        {
            if (mergeTaken == 0 && usedUpAreas.Count == 0) return;
            if (currentArea != takenFromArea)
                cow.Read(Geometry.ChunkOffset(Geometry.AreaChunk(takenFromArea)), area);
            currentArea = takenFromArea;
            areaFill = takenFromFill;
            mergeTaken = 0;
            usedUpAreas.Clear();
        }
    }

    /// <summary>
    /// Commits the batches handed out: their entries are zeroed, the areas written, one flush, and
    /// the chunks leave the mapping. Call only once their data is durable in the origin.
    /// </summary>
    public void CommitMergeBatches(IReadOnlyList<MergeBatch> batches)
    {
        byte[] image;
        long offset;
        ulong[] zeroAreas;
        lock (sync)
        {
            for (int i = 0; i < mergeTaken; i++) new DiskException(0, 0).Write(area, areaFill - 1 - i);
            image = (byte[])area.Clone();
            offset = Geometry.ChunkOffset(Geometry.AreaChunk(currentArea));
            zeroAreas = usedUpAreas.ToArray();
        }
        try
        {
            foreach (ulong a in zeroAreas) WriteZeroArea(a);
            cow.Write(offset, image);
            cow.Flush();
        }
        catch (Exception e) when (e is IOException or StorageException)
        {
            // The disk may now hold either table for these chunks: remember them (see IsInDoubt).
            lock (sync)
                foreach (var b in batches)
                    for (int i = 0; i < b.Count; i++) inDoubt.Add(b.OldFirst + (ulong)i);
            throw;
        }
        lock (sync)
        {
            areaFill -= mergeTaken;
            mergeTaken = 0;
            usedUpAreas.Clear();
            // As the kernel: next_free now only serves the status line.
            nextFree = Geometry.AreaChunk(currentArea) + (ulong)areaFill + 1;
            foreach (var b in batches)
                for (int i = b.Count - 1; i >= 0; i--) exceptions.Remove(b.OldFirst + (ulong)i);
        }
    }

    /// <summary>Marks the merge as failed after an I/O error: status "Merge failed", the table stays as it is.</summary>
    public void FailMerge(string reason)
    {
        lock (sync)
        {
            mergeFailed = true;
            MergeFailure = reason;
        }
    }

    private bool mergeFailed;
    private readonly HashSet<ulong> inDoubt = new();

    /// <summary>
    /// True when a chunk in [first, first+count) belonged to a merge commit that failed part way:
    /// its entry may or may not be gone on disk, and its data is in both the origin and the COW.
    /// Writes to such chunks must reach both, so that whichever table the next activation reads
    /// still shows them.
    /// </summary>
    public bool IsInDoubt(ulong first, int count)
    {
        lock (sync)
        {
            if (inDoubt.Count == 0) return false;
            for (int i = 0; i < count; i++)
                if (inDoubt.Contains(first + (ulong)i)) return true;
            return false;
        }
    }

    public bool IsMergeFailed { get { lock (sync) return mergeFailed; } }

    public string? MergeFailure { get; private set; }

    /// <summary>The merge is complete when the status shows allocated == metadata (table empty).</summary>
    public bool IsMergeComplete
    {
        get { lock (sync) return merging && currentArea == 0 && areaFill == 0; }
    }
}
