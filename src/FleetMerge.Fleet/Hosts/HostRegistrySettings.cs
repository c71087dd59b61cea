using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>How the host registry decides that a host went quiet.</summary>
/// <param name="HeartbeatInterval">How often hosts report (HostReport.HeartbeatInterval in production; short in tests).</param>
/// <param name="MissedHeartbeats">Heartbeats a host may miss before it counts as unreachable.</param>
public sealed record HostRegistrySettings(TimeSpan HeartbeatInterval, int MissedHeartbeats)
{
    public static HostRegistrySettings Default { get; } = new(HostReport.HeartbeatInterval, 3) { ReportGrace = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// After the registry starts it asks every node's hosts to report (<see cref="RequestHostReports"/>) and
    /// holds host selections this long for the answers, so a campaign started just after a failover
    /// does not see only the hosts that happened to report first. Zero in tests that send reports by hand.
    /// </summary>
    public TimeSpan ReportGrace { get; init; } = TimeSpan.Zero;

    public TimeSpan Silence => HeartbeatInterval * MissedHeartbeats;
}
