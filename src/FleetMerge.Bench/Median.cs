namespace FleetMerge.Bench;

public static class Median
{
    /// <summary>The median in milliseconds (the mean of the middle two for an even count).</summary>
    public static double Ms(IReadOnlyCollection<TimeSpan> samples) => Of([.. samples.Select(s => s.TotalMilliseconds)]);

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
