using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Toolbox;

/// <summary>What `cow inspect` reports about a store, read without writing a byte.</summary>
public sealed record CowInspection(
    string Path,
    long CowBytes,
    string Magic,
    uint Valid,
    uint Version,
    uint ChunkSectors,
    int Exceptions,
    long AreasUsed,
    string Status,
    IReadOnlyList<DiskException> Table)
{
    public static CowInspection Of(IBlockFile cow)
    {
        var header = ExceptionStore.ReadHeader(cow);
        if (header.IsBlank)
            throw new StoreFormatException($"{cow.Name}: not a snapshot store (blank header; format it first)");
        var geometry = ChunkGeometry.FromSectors(header.ChunkSectors);
        ExceptionStore.CheckCowSize(cow, geometry);
        string magic = "SnAp";
        if (!header.IsValid)
            return new CowInspection(cow.Name, cow.Length, magic, header.Valid, header.Version, header.ChunkSectors,
                0, 0, "Invalid", []);
        var table = ExceptionTable.Read(cow, geometry);
        if (table.TruncatedBecause is not null)
            throw new StoreFormatException($"{cow.Name}: table does not end: {table.TruncatedBecause}");
        string status = StoreUsage.Of(geometry, true, table.NextFree, table.CurrentArea, cow.Length, table.Entries.Count).Line;
        return new CowInspection(cow.Name, cow.Length, magic, header.Valid, header.Version, header.ChunkSectors,
            table.Entries.Count, (long)table.CurrentArea + 1, status, table.Entries);
    }
}
