namespace FleetMerge.Storage.Volumes;

/// <summary>
/// Serialises I/O per lock granule (the largest chunk size among an origin's snapshots) so that
/// I/O to different chunks runs in parallel and I/O to the same chunk does not. Granules map onto
/// a ring of stripes (consecutive granules never share one), always taken in ascending stripe
/// order so two ranges can never deadlock.
/// </summary>
internal sealed class RangeLocks
{
    private const int StripeCount = 1024;
    private readonly object[] stripes = Enumerable.Range(0, StripeCount).Select(_ => new object()).ToArray();

    /// <summary>Locks the granules of one byte range: a rotation of the ring, taken as two ascending runs.</summary>
    public Held Lock(long offset, long length, int granuleShift)
    {
        long first = offset >> granuleShift;
        long last = (offset + Math.Max(length, 1) - 1) >> granuleShift;
        if (last - first + 1 >= StripeCount) return EnterRuns(0, StripeCount, 0, 0);
        int a = (int)(first % StripeCount), b = (int)(last % StripeCount);
        // [a..b] when it does not wrap; else [0..b] and [a..StripeCount-1], lower stripes first.
        return a <= b ? EnterRuns(a, b - a + 1, 0, 0) : EnterRuns(0, b + 1, a, StripeCount - a);
    }

    /// <summary>Locks several byte ranges at once (a merge group), each stripe once, in stripe order.</summary>
    public Held LockMany(IReadOnlyList<(long Offset, long Length)> ranges, int granuleShift)
    {
        var wanted = new bool[StripeCount];
        foreach (var (offset, length) in ranges)
        {
            long first = offset >> granuleShift;
            long last = (offset + Math.Max(length, 1) - 1) >> granuleShift;
            if (last - first + 1 >= StripeCount) return EnterRuns(0, StripeCount, 0, 0);
            for (long g = first; g <= last; g++) wanted[g % StripeCount] = true;
        }
        var taken = new List<int>();
        for (int s = 0; s < StripeCount; s++)
            if (wanted[s]) taken.Add(s);
        foreach (int s in taken) Monitor.Enter(stripes[s]);
        return new Held(this, taken.ToArray(), 0, 0, 0, 0);
    }

    private Held EnterRuns(int start1, int count1, int start2, int count2)
    {
        for (int s = start1; s < start1 + count1; s++) Monitor.Enter(stripes[s]);
        for (int s = start2; s < start2 + count2; s++) Monitor.Enter(stripes[s]);
        return new Held(this, null, start1, count1, start2, count2);
    }

    public readonly struct Held(RangeLocks owner, int[]? list, int start1, int count1, int start2, int count2) : IDisposable
    {
        public void Dispose()
        {
            var stripes = owner.stripes;
            if (list is not null)
                for (int i = list.Length - 1; i >= 0; i--) Monitor.Exit(stripes[list[i]]);
            for (int s = start2 + count2 - 1; s >= start2; s--) Monitor.Exit(stripes[s]);
            for (int s = start1 + count1 - 1; s >= start1; s--) Monitor.Exit(stripes[s]);
        }
    }
}
