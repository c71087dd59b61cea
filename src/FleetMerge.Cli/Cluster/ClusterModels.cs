namespace FleetMerge.Cli.Cluster;

/// <summary>GET /api/v1/cluster (the fields the table shows; --json prints the node's answer as it came).</summary>
public sealed record ClusterStatus(
    string SelfAddress,
    string SelfStatus,
    string? Leader,
    string? SingletonNode,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyList<string> Unreachable);

public sealed record ClusterMember(string Address, string Status, IReadOnlyList<string> Roles, string Reachability, int AgeRank, bool IsSelf, bool IsLeader);

/// <summary>The answer of POST /cluster/leave, /down-unreachable and /join.</summary>
public sealed record ClusterAction(string Action, IReadOnlyList<string> Nodes, string? Note);

/// <summary>The request bodies.</summary>
public static class ClusterRequests
{
    public sealed record Leave(string Node);
    public sealed record Join(string Seed);
}
