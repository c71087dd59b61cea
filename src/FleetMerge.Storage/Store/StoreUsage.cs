namespace FleetMerge.Storage.Store;

/// <summary>The numbers behind the status line, in sectors as the kernel reports them.</summary>
public readonly record struct StoreUsage(
    bool Valid, long AllocatedSectors, long TotalSectors, long MetadataSectors, int Exceptions, long CurrentArea)
{
    /// <summary>
    /// The kernel's persistent_usage: next_free and the header plus areas 0..current, in sectors.
    /// </summary>
    public static StoreUsage Of(Format.ChunkGeometry g, bool valid, ulong nextFree, ulong currentArea, long cowBytes, int exceptions) =>
        new(valid, (long)(nextFree * g.ChunkSectors), cowBytes >> Format.Sectors.Shift,
            (long)((currentArea + 2) * g.ChunkSectors), exceptions, (long)currentArea);

    /// <summary>The numeric status line, `allocated/total metadata`.</summary>
    public string Line => $"{AllocatedSectors}/{TotalSectors} {MetadataSectors}";

    /// <summary>COW use as lvs shows Data%: allocated over total.</summary>
    public double DataPercent => TotalSectors == 0 ? 0 : 100.0 * AllocatedSectors / TotalSectors;
}
