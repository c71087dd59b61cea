namespace FleetMerge.Protocol.Fleet;

/// <summary>What the API asks the coordinator's host registry.</summary>
public interface IHostQuery : IWireMessage;

public sealed record ListHosts(string? Selector) : IHostQuery;

/// <summary>Replies <see cref="HostView"/>, or a not-found <see cref="FleetRequestException"/>.</summary>
public sealed record GetHost(string HostId) : IHostQuery;

/// <summary>A registered host as the coordinator sees it.</summary>
/// <param name="Reachability">reachable, unreachable (its node is unreachable) or left (its agent stopped or its node left).</param>
/// <param name="State">idle, merging, failed (a merge failed), needs-reboot (a merge waits for the next activation).</param>
public sealed record HostView(
    string HostId,
    string Node,
    IReadOnlyDictionary<string, string> Labels,
    string Reachability,
    string State,
    long Incarnation,
    bool Simulated,
    long FreeBytes,
    IReadOnlyList<FleetMerge.Protocol.Host.LvRow> Volumes,
    DateTimeOffset LastReport) : IWireMessage;

public sealed record HostList(IReadOnlyList<HostView> Hosts) : IWireMessage;
