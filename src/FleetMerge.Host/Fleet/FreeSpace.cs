namespace FleetMerge.Host.Fleet;

/// <summary>Free space of a real host: what the file system holding its volume groups has left for new COW files.</summary>
public static class FreeSpace
{
    public static long OfFileSystem(string path)
    {
        try { return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0; // unknown counts as full: preflight refuses rather than overfilling a disk
        }
    }
}
