namespace FleetMerge.Storage.Volumes;

/// <summary>
/// Serialises I/O per lock granule (the largest chunk size among an origin's snapshots) so that
/// I/O to different chunks runs in parallel and I/O to the same chunk does not. Granules map onto
/// a fixed ring of stripes (consecutive granules never share one), taken in ascending stripe
/// order so two ranges can never deadlock.
/// </summary>
internal sealed class RangeLocks
{
    private const int StripeCount = 1024;
    private static readonly int[] AllStripes = Enumerable.Range(0, StripeCount).ToArray();
    private readonly object[] stripes = Enumerable.Range(0, StripeCount).Select(_ => new object()).ToArray();

    public Held Lock(long offset, long length, int granuleShift)
    {
        long first = offset >> granuleShift;
        long last = (offset + Math.Max(length, 1) - 1) >> granuleShift;
        long count = last - first + 1;
        if (count >= StripeCount) return Enter(AllStripes);
        var taken = new int[count];
        for (long g = first; g <= last; g++) taken[g - first] = (int)(g % StripeCount);
        Array.Sort(taken);
        return Enter(taken);
    }

    /// <summary>Locks several byte ranges at once (a merge group), each stripe once, in stripe order.</summary>
    public Held LockMany(IReadOnlyList<(long Offset, long Length)> ranges, int granuleShift)
    {
        var set = new SortedSet<int>();
        foreach (var (offset, length) in ranges)
        {
            long first = offset >> granuleShift;
            long last = (offset + Math.Max(length, 1) - 1) >> granuleShift;
            if (last - first + 1 >= StripeCount) return Enter(AllStripes);
            for (long g = first; g <= last; g++) set.Add((int)(g % StripeCount));
            if (set.Count == StripeCount) return Enter(AllStripes);
        }
        return Enter(set.ToArray());
    }

    private Held Enter(int[] taken)
    {
        foreach (int s in taken) Monitor.Enter(stripes[s]);
        return new Held(this, taken);
    }

    public readonly struct Held(RangeLocks owner, int[] taken) : IDisposable
    {
        public void Dispose()
        {
            for (int i = taken.Length - 1; i >= 0; i--) Monitor.Exit(owner.stripes[taken[i]]);
        }
    }
}
