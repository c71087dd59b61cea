using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet;

/// <summary>Who a host is to the fleet, and how its fleet host actor paces itself.</summary>
/// <param name="HostId">Unique in the fleet: the machine's host name, or sim-NNNN.</param>
/// <param name="Labels">Operator labels (env=prod, rack=r1, …) that selectors match.</param>
/// <param name="DataDirectory">DATA_DIR: hooks.json of a real host lives here.</param>
public sealed record FleetHostSettings(string HostId, IReadOnlyDictionary<string, string> Labels, string DataDirectory)
{
    /// <summary>How often the host reports itself (also after every step and every start of its agent).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = HostReport.HeartbeatInterval;

    /// <summary>How often await-merge looks at the merges.</summary>
    public TimeSpan MergePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An Akka snapshot of the ledger after this many events.</summary>
    public int LedgerSnapshotEvery { get; init; } = 200;

    /// <summary>How many finished step keys the ledger remembers.</summary>
    public int KeepFinished { get; init; } = Ledger.HostStepLedger.DefaultKeep;

    public string PersistenceId => PersistenceIdFor(HostId);

    public static string PersistenceIdFor(string hostId) => $"host-steps-{hostId}";
}
