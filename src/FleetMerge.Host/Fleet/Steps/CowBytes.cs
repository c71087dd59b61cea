using FleetMerge.Protocol.Fleet;
using FleetMerge.Storage.Format;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// The COW bytes a campaign's snapshot of an origin gets: the requested size, rounded up to whole
/// sectors as lvcreate rounds up to whole extents (20% of a 4 MiB origin is 838,861 bytes, which
/// the volume group refuses as a size).
/// </summary>
public static class CowBytes
{
    public static long For(SnapshotSize size, long originBytes)
    {
        long bytes = size.For(originBytes);
        long remainder = bytes % Sectors.Size;
        return remainder == 0 ? bytes : bytes + (Sectors.Size - remainder);
    }
}
