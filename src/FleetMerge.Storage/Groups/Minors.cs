namespace FleetMerge.Storage.Groups;

/// <summary>Minor numbers: unique in a group, the lowest free one for a new volume (as dm hands them out).</summary>
public static class Minors
{
    public static int Lowest(IEnumerable<int> used)
    {
        var taken = used.ToHashSet();
        int minor = 0;
        while (taken.Contains(minor)) minor++;
        return minor;
    }
}
