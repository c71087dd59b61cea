using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Store;

/// <summary>
/// The exception table exactly as it lies on disk, read the way the kernel reads it on
/// activation: area after area until the first area that is not full.
/// No entry is judged here; <see cref="TableChecks"/> does that.
/// </summary>
public sealed class ExceptionTable
{
    public required ChunkGeometry Geometry { get; init; }

    /// <summary>Every entry before the terminator, in table order.</summary>
    public required IReadOnlyList<DiskException> Entries { get; init; }

    /// <summary>The area the next exception goes into (the first area that is not full).</summary>
    public required ulong CurrentArea { get; init; }

    /// <summary>Entries already in the current area.</summary>
    public required int CurrentCommitted { get; init; }

    /// <summary>Set when the table could not be read to its end (an area lies past the device).</summary>
    public string? TruncatedBecause { get; init; }

    /// <summary>
    /// Non-zero entries after the terminator in the current area: unreachable, as in the kernel. A merge commit
    /// torn by a power loss leaves them (the zeroed first sectors of the area landed, the rest did not).
    /// </summary>
    public IReadOnlyList<int> StrayEntriesAfterEnd { get; init; } = [];

    /// <summary>max(new_chunk) + 1, at least 2, moved past a metadata chunk: where the kernel allocates next.</summary>
    public ulong NextFree
    {
        get
        {
            ulong next = 2;
            foreach (var e in Entries)
                if (e.NewChunk >= next) next = e.NewChunk + 1;
            return Geometry.IsMetadataChunk(next) ? next + 1 : next;
        }
    }

    public static ExceptionTable Read(IBlockFile cow, ChunkGeometry geometry)
    {
        var entries = new List<DiskException>();
        byte[] area = new byte[geometry.ChunkBytes];
        int perArea = geometry.ExceptionsPerArea;
        for (ulong a = 0; ; a++)
        {
            long offset = geometry.ChunkOffset(geometry.AreaChunk(a));
            if (offset + geometry.ChunkBytes > cow.Length)
                return new ExceptionTable
                {
                    Geometry = geometry, Entries = entries, CurrentArea = a, CurrentCommitted = 0,
                    TruncatedBecause = $"metadata area {a} (chunk {geometry.AreaChunk(a)}) lies beyond the end of the COW"
                };
            cow.Read(offset, area);
            for (int i = 0; i < perArea; i++)
            {
                var e = DiskException.Read(area, i);
                if (e.IsTerminator)
                    return new ExceptionTable
                    {
                        Geometry = geometry, Entries = entries, CurrentArea = a, CurrentCommitted = i,
                        StrayEntriesAfterEnd = StrayEntries(area, i + 1, perArea)
                    };
                entries.Add(e);
            }
        }
    }

    private static List<int> StrayEntries(ReadOnlySpan<byte> area, int from, int perArea)
    {
        var stray = new List<int>();
        for (int i = from; i < perArea; i++)
        {
            var e = DiskException.Read(area, i);
            if (e.OldChunk != 0 || e.NewChunk != 0) stray.Add(i);
        }
        return stray;
    }
}
