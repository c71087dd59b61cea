using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>
/// One event of GET /api/v1/hosts/{id}/events: the host as the coordinator's registry sees it, and
/// the merges of its snapshots. For a host that runs on the answering node (its own host and its
/// simulated hosts) the merges are read from the host's agent at every poll (<see cref="Live"/>),
/// so progress moves with each copy group and a finished merge stays listed as complete with its
/// snapshot removed; for a host on another node they are empty and the volume rows' Merge% is as
/// of the host's last report.
/// </summary>
public sealed record HostLive(HostView Host, bool Live, IReadOnlyList<MergeState> Merges);
