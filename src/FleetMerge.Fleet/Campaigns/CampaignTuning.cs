using System.Globalization;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>How patient a campaign is with hosts.</summary>
/// <param name="TimeoutGrace">Added to a step's own timeout before the campaign gives up on an answer (the host answers "timed out" itself at the step timeout; the grace covers the way back).</param>
/// <param name="ResendInterval">An unanswered step is sent again (same key) this long after it was last sent.</param>
public sealed record CampaignTuning(TimeSpan TimeoutGrace, TimeSpan ResendInterval)
{
    public static CampaignTuning Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

    /// <summary>"45s", "5m30s", "2h": how durations read in campaign details.</summary>
    public static string Format(TimeSpan t)
    {
        if (t < TimeSpan.FromSeconds(1)) return ((int)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var parts = new List<string>();
        if (t.Days > 0) parts.Add($"{t.Days}d");
        if (t.Hours > 0) parts.Add($"{t.Hours}h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes}m");
        if (t.Seconds > 0 || parts.Count == 0) parts.Add($"{t.Seconds}s");
        return string.Concat(parts);
    }
}
