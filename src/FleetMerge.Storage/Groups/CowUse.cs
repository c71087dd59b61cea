namespace FleetMerge.Storage.Groups;

/// <summary>
/// How full one active snapshot's COW store is, from its status line (lvs Data% is
/// <see cref="AllocatedBytes"/> over <see cref="SizeBytes"/>; allocated counts the metadata chunks too, as the kernel does).
/// </summary>
public sealed record CowUse(string Vg, string Snapshot, string Origin, long AllocatedBytes, long SizeBytes, bool Valid)
{
    public double Ratio => SizeBytes == 0 ? 0 : (double)AllocatedBytes / SizeBytes;
}
