using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Store;

/// <summary>
/// The dm-snapshot persistent exception store of one snapshot, byte-compatible with the kernel's
/// dm-snap-persistent. It allocates COW chunks in the kernel's order and commits exceptions with
/// the kernel's ordering rules:
/// <list type="bullet">
/// <item>an exception's entry is written only after its data copy finished, and callers overwrite
/// the origin only after <see cref="WaitDurable"/> (copy and mapping durable first);</item>
/// <item>entries reach the area in allocation order (completions are re-sequenced);</item>
/// <item>the area is written and flushed when nothing else is in flight or the area is full
/// (group commit); before a full area is committed the next area is zeroed and flushed.</item>
/// </list>
/// Thread-safe. One thread at a time is the committer; it does the metadata I/O outside the lock.
/// </summary>
public sealed partial class ExceptionStore : IDisposable
{
    private readonly IBlockFile cow;
    private readonly bool ownsCow;
    private readonly object sync = new();
    private readonly Dictionary<ulong, ulong> exceptions = new();
    private readonly Queue<PendingException> inFlight = new();
    private readonly List<PendingException> inArea = new();
    private readonly byte[] area;
    private ulong currentArea;
    private int areaFill;
    private ulong nextFree;
    private bool valid;
    private bool overflowed;
    private bool committing;

    private ExceptionStore(IBlockFile cow, bool ownsCow, ChunkGeometry geometry, bool valid)
    {
        this.cow = cow;
        this.ownsCow = ownsCow;
        Geometry = geometry;
        this.valid = valid;
        area = new byte[geometry.ChunkBytes];
        nextFree = 2;
    }

    public ChunkGeometry Geometry { get; }

    public string Name => cow.Name;

    public long CowBytes => cow.Length;

    public bool IsValid { get { lock (sync) return valid; } }

    /// <summary>Set under <see cref="OverflowPolicy.Overflow"/> once a snapshot write ran out of room.</summary>
    public bool IsOverflowed { get { lock (sync) return overflowed; } }

    /// <summary>The dm table's store type: what a full COW does to a snapshot write. Not stored on disk.</summary>
    public OverflowPolicy OverflowPolicy { get; set; } = OverflowPolicy.Invalidate;

    /// <summary>Why the store became invalid in this process, if it did.</summary>
    public string? InvalidReason { get; private set; }

    internal IBlockFile Cow => cow;

    /// <summary>Writes a new, empty store: area 0 zeroed, then the header, then a flush.</summary>
    public static ExceptionStore Format(IBlockFile cow, ChunkGeometry geometry, bool ownsCow = false)
    {
        CheckCowSize(cow, geometry);
        var store = new ExceptionStore(cow, ownsCow, geometry, valid: true);
        store.InitialiseOnDisk();
        return store;
    }

    /// <summary>
    /// Opens an existing store. The header's chunk size wins over <paramref name="requested"/>,
    /// as in the kernel. A blank store is initialised only in <see cref="StoreOpenMode.InitialiseIfBlank"/>.
    /// A store whose header says invalid opens as invalid and refuses snapshot I/O.
    /// </summary>
    public static ExceptionStore Open(IBlockFile cow, StoreOpenMode mode, ChunkGeometry? requested = null, bool ownsCow = false)
    {
        var header = ReadHeader(cow);
        if (header.IsBlank)
        {
            if (mode != StoreOpenMode.InitialiseIfBlank)
                throw new StoreFormatException($"{cow.Name}: not a snapshot store (blank header; format it first)");
            return Format(cow, requested ?? ChunkGeometry.Default, ownsCow);
        }
        var geometry = ChunkGeometry.FromSectors(header.ChunkSectors);
        CheckCowSize(cow, geometry);
        var store = new ExceptionStore(cow, ownsCow, geometry, header.IsValid);
        if (!header.IsValid)
        {
            store.InvalidReason = "snapshot is marked invalid in its header";
            return store;
        }
        store.LoadTable(ExceptionTable.Read(cow, geometry));
        return store;
    }

    /// <summary>Reads and checks chunk 0; a blank header comes back as is.</summary>
    public static StoreHeader ReadHeader(IBlockFile cow)
    {
        if (cow.Length < StoreHeader.Bytes)
            throw new StoreFormatException($"{cow.Name}: too small for a snapshot store ({cow.Length} bytes)");
        Span<byte> bytes = stackalloc byte[StoreHeader.Bytes];
        cow.Read(0, bytes);
        var header = StoreHeader.Decode(bytes);
        try { header.Validate(); }
        catch (StoreFormatException e) { throw new StoreFormatException($"{cow.Name}: {e.Message}"); }
        return header;
    }

    /// <summary>The size rules every store obeys: whole sectors, room for header, area 0 and a data chunk.</summary>
    public static void CheckCowSize(IBlockFile cow, ChunkGeometry geometry)
    {
        if (cow.Length % Sectors.Size != 0)
            throw new StoreFormatException($"{cow.Name}: size {cow.Length} bytes is not a whole number of 512-byte sectors");
        if (geometry.ChunksIn(cow.Length) < 3)
            throw new StoreFormatException(
                $"{cow.Name}: too small: {cow.Length} bytes, a store needs at least 3 chunks of {Units.FormatSize(geometry.ChunkBytes)} (header, metadata area, one data chunk)");
    }

    private void InitialiseOnDisk()
    {
        WriteZeroArea(0);
        WriteHeader(StoreHeader.Fresh(Geometry));
        cow.Flush();
    }

    private void LoadTable(ExceptionTable table)
    {
        var findings = TableChecks.Findings(table, cow.Length, originBytes: null);
        if (findings.Count > 0)
            throw new StoreFormatException($"{cow.Name}: corrupt exception table: {findings[0]}" +
                                           (findings.Count > 1 ? $" (and {findings.Count - 1} more; run 'fleetmerge cow verify')" : ""));
        foreach (var e in table.Entries) exceptions[e.OldChunk] = e.NewChunk;
        currentArea = table.CurrentArea;
        areaFill = table.CurrentCommitted;
        cow.Read(Geometry.ChunkOffset(Geometry.AreaChunk(currentArea)), area);
        // Entries after the terminator (a merge commit torn by a power loss: its zeroed first sectors landed,
        // the later ones kept old entries) are unreachable; they must stay so once the table grows again.
        area.AsSpan(areaFill * ChunkGeometry.EntryBytes).Clear();
        nextFree = table.NextFree;
    }

    /// <summary>Committed exceptions (excludes pending ones).</summary>
    public int ExceptionCount { get { lock (sync) return exceptions.Count; } }

    public bool TryGetException(ulong oldChunk, out ulong newChunk)
    {
        lock (sync) return exceptions.TryGetValue(oldChunk, out newChunk);
    }

    /// <summary>Looks up consecutive origin chunks at once; 0 means "no exception" (0 is never a data chunk).</summary>
    public void Lookup(ulong firstChunk, Span<ulong> newChunks)
    {
        lock (sync)
            for (int i = 0; i < newChunks.Length; i++)
                newChunks[i] = exceptions.TryGetValue(firstChunk + (ulong)i, out ulong n) ? n : 0;
    }

    /// <summary>
    /// Looks up again only the chunks <paramref name="before"/> had no exception for, into <paramref name="after"/>
    /// (the others keep theirs: outside a merge an exception, once there, never changes). A snapshot read's
    /// second look costs nothing when every chunk was in the COW.
    /// </summary>
    public void LookupUnmapped(ulong firstChunk, ReadOnlySpan<ulong> before, Span<ulong> after)
    {
        before.CopyTo(after);
        if (!before.Contains(0UL)) return;
        lock (sync)
            for (int i = 0; i < before.Length; i++)
                if (before[i] == 0)
                    after[i] = exceptions.TryGetValue(firstChunk + (ulong)i, out ulong n) ? n : 0;
    }

    /// <summary>A copy of the committed mapping, for tools and tests.</summary>
    public IReadOnlyDictionary<ulong, ulong> SnapshotOfExceptions()
    {
        lock (sync) return new Dictionary<ulong, ulong>(exceptions);
    }

    /// <summary>
    /// Allocates a COW chunk for an origin chunk, as persistent_prepare_exception: refuses when
    /// (next_free + 1) chunks no longer fit the COW, then advances next_free past metadata.
    /// Returns null when the store is full or invalid.
    /// </summary>
    public PendingException? TryPrepare(ulong oldChunk)
    {
        lock (sync)
        {
            if (!valid || merging) return null;
            if ((nextFree + 1) * Geometry.ChunkSectors > (ulong)(cow.Length >> Sectors.Shift)) return null;
            var pending = new PendingException(oldChunk, nextFree);
            nextFree++;
            if (Geometry.IsMetadataChunk(nextFree)) nextFree++;
            inFlight.Enqueue(pending);
            return pending;
        }
    }

    /// <summary>
    /// The COW byte ranges the next <paramref name="newChunks"/> allocations will write: from the
    /// current metadata area through their data chunks (and the areas among them), and the area
    /// zeroed after the one their last entry goes to. Clipped to the COW.
    /// </summary>
    public IReadOnlyList<(long Offset, long Length)> SpaceFor(long newChunks)
    {
        lock (sync)
        {
            ulong last = nextFree;
            for (long n = 1; n < newChunks; n++)
            {
                last++;
                if (Geometry.IsMetadataChunk(last)) last++;
            }
            long from = Geometry.ChunkOffset(Geometry.AreaChunk(currentArea));
            long dataEnd = Math.Min(cow.Length, Geometry.ChunkOffset(last + 1));
            ulong lastArea = currentArea + (ulong)((areaFill + inFlight.Count + Math.Max(0, newChunks - 1)) / Geometry.ExceptionsPerArea);
            long next = Geometry.ChunkOffset(Geometry.AreaChunk(lastArea + 1));
            var ranges = new List<(long, long)>();
            if (newChunks > 0 && dataEnd > from) ranges.Add((from, dataEnd - from));
            if (newChunks > 0 && next + Geometry.ChunkBytes <= cow.Length) ranges.Add((next, Geometry.ChunkBytes));
            return ranges;
        }
    }

    /// <summary>Marks exceptions whose data copy has finished; they may now be committed.</summary>
    public void MarkCopied(IReadOnlyList<PendingException> copied)
    {
        if (copied.Count == 0) return;
        lock (sync)
        {
            foreach (var p in copied) p.Copied = true;
            Monitor.PulseAll(sync);
        }
    }

    /// <summary>
    /// Blocks until every given exception is durable in the table (true) or the store became
    /// invalid (false). The calling thread may become the committer and do the metadata I/O.
    /// </summary>
    public bool WaitDurable(IReadOnlyList<PendingException> batch)
    {
        if (batch.Count == 0) return IsValid;
        Monitor.Enter(sync);
        try
        {
            while (true)
            {
                if (!valid) return false;
                if (AllDurable(batch)) return true;
                if (!committing && CommitWorkReady())
                {
                    committing = true;
                    var drained = DrainCopiedInOrder();
                    bool flushAtEnd = inFlight.Count == 0;
                    Monitor.Exit(sync);
                    List<PendingException> made;
                    string? failure = null;
                    try { made = WriteEntries(drained, flushAtEnd); }
                    catch (Exception e) when (e is IOException or StorageException)
                    {
                        made = [];
                        failure = $"metadata write failed: {e.Message}";
                    }
                    finally { Monitor.Enter(sync); }
                    committing = false;
                    foreach (var p in made)
                    {
                        p.Durable = true;
                        exceptions[p.OldChunk] = p.NewChunk;
                    }
                    Monitor.PulseAll(sync);
                    if (failure is not null)
                    {
                        Monitor.Exit(sync);
                        try { Invalidate(failure); }
                        finally { Monitor.Enter(sync); }
                    }
                    continue;
                }
                Monitor.Wait(sync);
            }
        }
        finally { Monitor.Exit(sync); }
    }

    private static bool AllDurable(IReadOnlyList<PendingException> batch)
    {
        foreach (var p in batch) if (!p.Durable) return false;
        return true;
    }

    private bool CommitWorkReady() =>
        (inFlight.Count > 0 && inFlight.Peek().Copied) || (inFlight.Count == 0 && inArea.Count > 0);

    private List<PendingException> DrainCopiedInOrder()
    {
        var drained = new List<PendingException>();
        while (inFlight.Count > 0 && inFlight.Peek().Copied) drained.Add(inFlight.Dequeue());
        return drained;
    }

    /// <summary>
    /// Committer only. Appends entries to the in-memory area; a full area is committed at once,
    /// after the next area is zeroed; what is left is committed when nothing else was in flight.
    /// Returns the exceptions that became durable.
    /// </summary>
    private List<PendingException> WriteEntries(List<PendingException> drained, bool flushAtEnd)
    {
        var durable = new List<PendingException>();
        foreach (var p in drained)
        {
            new DiskException(p.OldChunk, p.NewChunk).Write(area, areaFill++);
            inArea.Add(p);
            if (areaFill == Geometry.ExceptionsPerArea)
            {
                // The reader needs a terminator after a full area; CommitArea's first flush makes it durable first.
                WriteZeroArea(currentArea + 1);
                CommitArea(durable);
                lock (sync) currentArea++;
                areaFill = 0;
                Array.Clear(area);
            }
        }
        if (flushAtEnd && inArea.Count > 0) CommitArea(durable);
        return durable;
    }

    /// <summary>
    /// The kernel's REQ_PREFLUSH | REQ_FUA area write: everything written before (the copied data
    /// the entries point at, a zeroed next area) is made durable first, so no order in which a
    /// write cache reaches the disk can leave an entry pointing at data that is not there; then
    /// the area itself.
    /// </summary>
    private void CommitArea(List<PendingException> durable)
    {
        cow.Flush();
        cow.Write(Geometry.ChunkOffset(Geometry.AreaChunk(currentArea)), area);
        cow.Flush();
        durable.AddRange(inArea);
        inArea.Clear();
    }

    private void WriteZeroArea(ulong areaIndex)
    {
        long offset = Geometry.ChunkOffset(Geometry.AreaChunk(areaIndex));
        if (offset + Geometry.ChunkBytes > cow.Length)
            throw new StorageException($"{cow.Name}: metadata area {areaIndex} lies beyond the end of the COW");
        cow.Write(offset, new byte[Geometry.ChunkBytes]);
    }

    private void WriteHeader(StoreHeader header)
    {
        byte[] chunk = new byte[Geometry.ChunkBytes];
        header.EncodeChunk(chunk);
        cow.Write(0, chunk);
    }

    /// <summary>
    /// Drops the snapshot as the kernel does: header rewritten with valid = 0 and flushed;
    /// pending exceptions are never committed. Idempotent.
    /// </summary>
    public void Invalidate(string reason)
    {
        lock (sync)
        {
            if (!valid) return;
            valid = false;
            InvalidReason = reason;
            Monitor.PulseAll(sync);
        }
        try
        {
            var header = StoreHeader.Fresh(Geometry) with { Valid = 0 };
            WriteHeader(header);
            cow.Flush();
        }
        catch (Exception e) when (e is IOException or StorageException)
        {
            // The store is invalid in memory whatever the disk says; a later load of a header
            // still saying valid finds the table as it was last committed, which is consistent.
        }
    }

    /// <summary>Records that a snapshot write ran out of room under the "PO" policy.</summary>
    public void MarkOverflowed()
    {
        lock (sync) overflowed = true;
    }

    /// <summary>The kernel's status line: Invalid, Overflow, or "allocated/total metadata" in sectors.</summary>
    public string StatusLine()
    {
        lock (sync)
        {
            if (!valid) return "Invalid";
            if (mergeFailed) return "Merge failed";
            if (overflowed) return "Overflow";
            return UsageLocked().Line;
        }
    }

    private StoreUsage UsageLocked() => StoreUsage.Of(Geometry, valid, nextFree, currentArea, cow.Length, exceptions.Count);

    public StoreUsage Usage()
    {
        lock (sync) return UsageLocked();
    }

    public void Flush() => cow.Flush();

    public void Dispose()
    {
        if (ownsCow) cow.Dispose();
    }
}
