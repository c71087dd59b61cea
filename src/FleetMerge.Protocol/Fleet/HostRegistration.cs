using FleetMerge.Protocol.Host;

namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// Host agents ↔ the coordinator's host registry. A host tells the coordinator (through the
/// singleton proxy) who it is when it starts, whenever its volumes change, and as a heartbeat
/// every <see cref="HostReport.HeartbeatInterval"/>; the Sender of the report is the actor that
/// takes <see cref="HostStep"/>s for that host. The registry is soft state: after a coordinator
/// failover it is rebuilt from the next round of reports.
/// </summary>
public interface IHostRegistryMessage : IWireMessage;

/// <summary>What a host is and has, sent by the host's agent.</summary>
/// <param name="HostId">Unique in the fleet: the machine's host name, or sim-NNNN for simulated hosts.</param>
/// <param name="Node">The Akka address of the node the host runs on (to track reachability).</param>
/// <param name="Labels">Operator labels (env=prod, rack=r1, …); selectors match them.</param>
/// <param name="Volumes">Every volume of every group of the host, as `lvs` rows.</param>
/// <param name="FreeBytes">Free space on the file system of the host's volume groups.</param>
/// <param name="Incarnation">Grows at every (re)start of the host agent: a reboot shows as a new incarnation.</param>
/// <param name="Simulated">True for a simulated host (--simulate-hosts).</param>
public sealed record HostReport(
    string HostId,
    string Node,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<LvRow> Volumes,
    long FreeBytes,
    long Incarnation,
    bool Simulated,
    DateTimeOffset At) : IHostRegistryMessage
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
}

/// <summary>The host is going away cleanly (its agent stops); unreachability is seen from cluster events instead.</summary>
public sealed record HostLeaving(string HostId, long Incarnation) : IHostRegistryMessage;

/// <summary>The registry's reply to the first report of an incarnation.</summary>
public sealed record HostRegistered(string HostId, long Incarnation) : IHostRegistryMessage;

/// <summary>
/// The registry asks every host of a node to report at once (sent to <see cref="RelayPath"/> on each
/// member when a coordinator starts, e.g. after a failover), so the registry is whole again within
/// a round trip instead of one heartbeat interval.
/// </summary>
public sealed record RequestHostReports : IHostRegistryMessage
{
    public static readonly RequestHostReports Instance = new();

    /// <summary>The actor on every host-role node that passes the request to that node's hosts.</summary>
    public const string RelayName = "host-reports";
}
