using FleetMerge.Storage.Format;

namespace FleetMerge.Storage.Store;

/// <summary>
/// The fsck rules for an exception table: every mapping inside the devices, no data chunk on a
/// metadata chunk, no chunk used twice, the table ending where it must. Pure: table in, findings out.
/// </summary>
public static class TableChecks
{
    public static IReadOnlyList<string> Findings(ExceptionTable table, long cowBytes, long? originBytes)
    {
        var findings = new List<string>();
        var g = table.Geometry;
        ulong cowChunks = g.ChunksIn(cowBytes);
        ulong? originChunks = originBytes is long o ? (ulong)((o + g.ChunkBytes - 1) >> g.ChunkShift) : null;
        var seenOld = new Dictionary<ulong, int>();
        var seenNew = new Dictionary<ulong, int>();

        if (table.TruncatedBecause is not null)
            findings.Add($"table does not end: {table.TruncatedBecause}");

        // Non-zero entries after the terminator are no finding: a merge commit zeroes the tail of an area in
        // one multi-sector write, and a power loss can land its first sectors only. The kernel's reader stops at
        // the terminator and so does ours; the engine zeroes them in memory on load (ExceptionStore.LoadTable).

        for (int i = 0; i < table.Entries.Count; i++)
        {
            var e = table.Entries[i];
            string where = $"entry {i} (area {i / g.ExceptionsPerArea} index {i % g.ExceptionsPerArea}) {e.OldChunk}->{e.NewChunk}";
            if (e.NewChunk >= cowChunks)
                findings.Add($"{where}: COW chunk {e.NewChunk} is beyond the end of the COW ({cowChunks} chunks)");
            else if (g.IsMetadataChunk(e.NewChunk))
                findings.Add($"{where}: COW chunk {e.NewChunk} is a metadata chunk");
            if (originChunks is ulong oc && e.OldChunk >= oc)
                findings.Add($"{where}: origin chunk {e.OldChunk} is beyond the end of the origin ({oc} chunks)");
            if (seenOld.TryGetValue(e.OldChunk, out int firstOld))
                findings.Add($"{where}: origin chunk {e.OldChunk} already mapped by entry {firstOld}");
            else seenOld[e.OldChunk] = i;
            if (seenNew.TryGetValue(e.NewChunk, out int firstNew))
                findings.Add($"{where}: COW chunk {e.NewChunk} already used by entry {firstNew}");
            else seenNew[e.NewChunk] = i;
        }
        return findings;
    }
}
