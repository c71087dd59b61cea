namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// Splits a campaign's hosts into waves: first a canary wave of <c>canary</c> hosts (those
/// labelled canary=true first, then the others by id), then waves of <c>waveSize</c> hosts by id.
/// Every host is in exactly one wave and no wave is empty.
/// </summary>
public static class Waves
{
    public const string CanaryName = "canary";

    /// <param name="hosts">The campaign's hosts (any order; duplicates are ignored).</param>
    /// <param name="labelledCanary">Hosts labelled canary=true (may include hosts outside the campaign).</param>
    public static IReadOnlyList<WavePlan> Split(IEnumerable<string> hosts, IEnumerable<string> labelledCanary, int canary, int waveSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(canary);
        ArgumentOutOfRangeException.ThrowIfLessThan(waveSize, 1);
        var all = hosts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var preferred = labelledCanary.ToHashSet(StringComparer.Ordinal);
        var canaries = all.Where(preferred.Contains).Concat(all.Where(h => !preferred.Contains(h))).Take(canary)
            .Order(StringComparer.Ordinal).ToList();
        var waves = new List<WavePlan>();
        if (canaries.Count > 0) waves.Add(new WavePlan(1, CanaryName, canaries));
        var inCanary = canaries.ToHashSet(StringComparer.Ordinal);
        var rest = all.Where(h => !inCanary.Contains(h)).ToList();
        for (int i = 0; i < rest.Count; i += waveSize)
        {
            int number = waves.Count + 1;
            waves.Add(new WavePlan(number, $"wave {number}", rest.Skip(i).Take(waveSize).ToList()));
        }
        return waves;
    }
}
