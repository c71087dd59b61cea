using System.Buffers;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// The old origin chunks one snapshot needs before an origin write: exceptions allocated, data to
/// copy, then commit. <see cref="Full"/> means the COW ran out part way: the chunks allocated so far
/// are still copied (the kernel's copies in flight land on disk) but never committed, and the
/// snapshot is invalidated.
/// </summary>
internal sealed class SnapshotCopy(ExceptionStore store)
{
    public ExceptionStore Store { get; } = store;
    public List<PendingException> Pending { get; } = new();
    public bool Full { get; private set; }
    private string? copyError;
    private HashSet<ulong>? pendingChunks; // only once a second range is prepared (a merge group)

    /// <summary>
    /// Allocates exceptions for the chunks of [offset, offset+length) the store lacks, in ascending
    /// order; may be called for several ranges (a merge group). Stops at the first refusal.
    /// </summary>
    public void Prepare(long offset, int length)
    {
        if (Full) return;
        if (Pending.Count > 0) pendingChunks ??= Pending.Select(p => p.OldChunk).ToHashSet();
        var g = Store.Geometry;
        var (first, count) = g.ChunksCovering(offset, length);
        ulong[] cowChunks = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            Store.Lookup(first, cowChunks.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                if (cowChunks[i] != 0 || AlreadyPending(first + (ulong)i)) continue;
                var p = Store.TryPrepare(first + (ulong)i);
                if (p is null)
                {
                    Full = Store.IsValid;
                    return;
                }
                Pending.Add(p);
                pendingChunks?.Add(p.OldChunk);
            }
        }
        finally { ArrayPool<ulong>.Shared.Return(cowChunks); }
    }

    /// <summary>A chunk already pending here came from an earlier range of the same merge group.</summary>
    private bool AlreadyPending(ulong chunk) => pendingChunks is not null && pendingChunks.Contains(chunk);

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
        var cow = Store.Cow;
        long to = g.ChunkOffset(newFirst);
        origin.With(from, length, bytes => cow.Write(to, bytes));
    }

    /// <summary>The origin byte range covering every chunk this snapshot copies.</summary>
    public (long Start, long End) Range
    {
        get
        {
            var g = Store.Geometry;
            ulong first = ulong.MaxValue, last = 0;
            foreach (var p in Pending)
            {
                first = Math.Min(first, p.OldChunk);
                last = Math.Max(last, p.OldChunk);
            }
            return (g.ChunkOffset(first), g.ChunkOffset(last + 1));
        }
    }
}
