using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// The old origin chunks one snapshot needs before an origin write: exceptions allocated, data to
/// copy, then commit. <see cref="Full"/> means the COW ran out part way: the chunks allocated so far
/// are still copied (the kernel's copies in flight land on disk) but never committed, and the
/// snapshot is invalidated.
/// </summary>
internal sealed class SnapshotCopy(ExceptionStore store, List<PendingException> pending, bool full)
{
    public ExceptionStore Store { get; } = store;
    public List<PendingException> Pending { get; } = pending;
    public bool Full { get; } = full;
    private string? copyError;

    /// <summary>Copies origin chunk → COW chunk for every pending exception, consecutive runs at once.</summary>
    public void CopyFrom(OldData origin)
    {
        try
        {
            foreach (var (oldFirst, newFirst, chunks) in Runs())
                CopyRun(origin, oldFirst, newFirst, chunks);
        }
        catch (Exception e) when (e is IOException or StorageException)
        {
            copyError = $"copy to {Store.Name} failed: {e.Message}";
        }
    }

    /// <summary>Hands the copied exceptions to the store for commit, or drops the snapshot.</summary>
    public void Publish()
    {
        if (copyError is not null) Store.Invalidate(copyError);
        else if (Full) Store.Invalidate($"{Store.Name}: COW full, snapshot dropped");
        else Store.MarkCopied(Pending);
    }

    private IEnumerable<(ulong OldFirst, ulong NewFirst, int Chunks)> Runs()
    {
        int maxChunks = Math.Max(1, ChunkRuns.MaxRunBytes / Store.Geometry.ChunkBytes);
        int i = 0;
        while (i < Pending.Count)
        {
            int n = 1;
            while (i + n < Pending.Count && n < maxChunks &&
                   Pending[i + n].OldChunk == Pending[i].OldChunk + (ulong)n &&
                   Pending[i + n].NewChunk == Pending[i].NewChunk + (ulong)n)
                n++;
            yield return (Pending[i].OldChunk, Pending[i].NewChunk, n);
            i += n;
        }
    }

    private void CopyRun(OldData origin, ulong oldFirst, ulong newFirst, int chunks)
    {
        var g = Store.Geometry;
        long from = g.ChunkOffset(oldFirst);
        // The origin's last chunk may be partial: copy what exists, as kcopyd clips at the device end.
        int length = (int)Math.Min((long)chunks * g.ChunkBytes, origin.OriginLength - from);
        Store.Cow.Write(g.ChunkOffset(newFirst), origin.Slice(from, length));
    }

    /// <summary>The origin byte range covering every chunk this snapshot copies.</summary>
    public (long Start, long End) Range
    {
        get
        {
            var g = Store.Geometry;
            return (g.ChunkOffset(Pending[0].OldChunk), g.ChunkOffset(Pending[^1].OldChunk + 1));
        }
    }
}
