namespace FleetMerge.Fleet.Policies;

/// <summary>How the policy scheduler runs.</summary>
/// <param name="TickInterval">How often it looks for due runs and ended campaigns.</param>
/// <param name="Lateness">A run started later than this after its occurrence is reported as missed.</param>
/// <param name="AskTimeout">How long it waits for the coordinator and the registry.</param>
/// <param name="CampaignStepTimeout">StepTimeout of the snapshot campaigns it starts.</param>
/// <param name="PruneStepTimeout">Timeout of the remove-snapshot steps of pruning.</param>
/// <param name="SnapshotEvery">An Akka snapshot of the policies after this many events.</param>
/// <param name="JournalPluginId">The coordinator's journal (PostgreSQL in a cluster); null = the default journal.</param>
/// <param name="SnapshotPluginId">The coordinator's snapshot store; null = the default one.</param>
public sealed record PolicySchedulerSettings(
    TimeSpan TickInterval,
    TimeSpan Lateness,
    TimeSpan AskTimeout,
    TimeSpan CampaignStepTimeout,
    TimeSpan PruneStepTimeout,
    int SnapshotEvery,
    string? JournalPluginId,
    string? SnapshotPluginId)
{
    public static PolicySchedulerSettings Default { get; } = new(
        TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), 200, null, null);
}
