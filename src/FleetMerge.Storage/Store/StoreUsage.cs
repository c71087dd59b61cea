namespace FleetMerge.Storage.Store;

/// <summary>The numbers behind the status line, in sectors as the kernel reports them.</summary>
public readonly record struct StoreUsage(
    bool Valid, long AllocatedSectors, long TotalSectors, long MetadataSectors, int Exceptions, long CurrentArea)
{
    /// <summary>COW use as lvs shows Data%: allocated over total.</summary>
    public double DataPercent => TotalSectors == 0 ? 0 : 100.0 * AllocatedSectors / TotalSectors;
}
