namespace FleetMerge.Fleet.Campaigns;

/// <summary>How campaign actors journal and keep time.</summary>
/// <param name="SnapshotEvery">An Akka snapshot of the campaign's state after this many events (bounds recovery).</param>
/// <param name="TickInterval">How often a running campaign looks at the clock (timeouts, resends, the maintenance window).</param>
/// <param name="IdleAfterEnd">An ended campaign's actor (started again to answer a query) stops after this long without messages.</param>
public sealed record CampaignSettings(int SnapshotEvery, TimeSpan TickInterval, CampaignTuning Tuning, TimeSpan IdleAfterEnd)
{
    public static CampaignSettings Default { get; } = new(300, TimeSpan.FromSeconds(1), CampaignTuning.Default, TimeSpan.FromMinutes(2));

    /// <summary>Journal plugin for campaign journals (null = the system's default journal).</summary>
    public string? JournalPluginId { get; init; }

    /// <summary>Snapshot store plugin (null = the system's default snapshot store).</summary>
    public string? SnapshotPluginId { get; init; }

    /// <summary>The campaign's clock (tests move it to open and close maintenance windows).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
