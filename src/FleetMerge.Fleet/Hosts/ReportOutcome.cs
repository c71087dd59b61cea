namespace FleetMerge.Fleet.Hosts;

/// <summary>What the registry did with a HostReport.</summary>
public enum ReportOutcome
{
    /// <summary>A host or an incarnation not seen before: it replaced what was known (answered with HostRegistered).</summary>
    Registered,

    /// <summary>Another report of the current incarnation (heartbeat or volume change).</summary>
    Updated,

    /// <summary>From an older incarnation, or from one that has left: ignored.</summary>
    Stale,
}
