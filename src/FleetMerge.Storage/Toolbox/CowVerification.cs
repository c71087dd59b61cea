using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Toolbox;

/// <summary>The fsck of a store: header and table checks, optionally against the origin's size.</summary>
public static class CowVerification
{
    public static IReadOnlyList<string> Findings(IBlockFile cow, long? originBytes)
    {
        StoreHeader header;
        try { header = ExceptionStore.ReadHeader(cow); }
        catch (StoreFormatException e) { return [e.Message]; }
        if (header.IsBlank) return [$"{cow.Name}: blank header: not a snapshot store"];
        var geometry = ChunkGeometry.FromSectors(header.ChunkSectors);
        if (cow.Length % Sectors.Size != 0)
            return [$"size {cow.Length} bytes is not a whole number of sectors"];
        if (geometry.ChunksIn(cow.Length) < 3)
            return [$"size {cow.Length} bytes is too small for chunk size {Units.FormatSize(geometry.ChunkBytes)}"];
        var findings = new List<string>();
        if (originBytes is long o && o % Sectors.Size != 0)
            findings.Add($"origin size {o} bytes is not a whole number of sectors");
        if (!header.IsValid) return findings; // an invalid snapshot's table is never read, by design
        findings.AddRange(TableChecks.Findings(ExceptionTable.Read(cow, geometry), cow.Length, originBytes));
        return findings;
    }
}
