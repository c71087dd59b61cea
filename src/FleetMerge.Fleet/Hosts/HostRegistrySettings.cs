using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>How the host registry decides that a host went quiet.</summary>
/// <param name="HeartbeatInterval">How often hosts report (HostReport.HeartbeatInterval in production; short in tests).</param>
/// <param name="MissedHeartbeats">Heartbeats a host may miss before it counts as unreachable.</param>
public sealed record HostRegistrySettings(TimeSpan HeartbeatInterval, int MissedHeartbeats)
{
    public static HostRegistrySettings Default { get; } = new(HostReport.HeartbeatInterval, 3);

    public TimeSpan Silence => HeartbeatInterval * MissedHeartbeats;
}
