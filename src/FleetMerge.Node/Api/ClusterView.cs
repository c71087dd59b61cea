namespace FleetMerge.Node.Api;

/// <summary>A cluster member as this node sees it, taken from Akka.Cluster's state (see <see cref="ClusterFacts"/>).</summary>
/// <param name="Address">akka.tcp://fleetmerge@HOST:PORT</param>
/// <param name="Status">joining, weakly_up, up, leaving, exiting, down, removed, …</param>
public sealed record MemberFact(string Address, string Status, IReadOnlyList<string> Roles);

/// <summary>
/// Everything the cluster endpoints decide from, as plain values, so that the decisions are pure
/// functions (<see cref="ClusterView"/>, <see cref="ClusterRules"/>) tested without an ActorSystem.
/// </summary>
/// <param name="Members">Every member in this node's gossip, oldest first (Akka's age ordering).</param>
/// <param name="Unreachable">Addresses of the members this node's failure detector marks unreachable.</param>
public sealed record ClusterFacts(
    string SelfAddress,
    IReadOnlyList<string> SelfRoles,
    string? Leader,
    IReadOnlyList<MemberFact> Members,
    IReadOnlySet<string> Unreachable,
    IReadOnlyList<string> SeedNodes)
{
    public MemberFact? Member(string address) => Members.FirstOrDefault(m => m.Address == address);

    /// <summary>True when this node is in its own gossip: it joined a cluster (itself or others).</summary>
    public bool SelfIsMember => Member(SelfAddress) is { Status: not "removed" };
}

/// <summary>One row of GET /api/v1/cluster's members.</summary>
/// <param name="AgeRank">1 = the oldest member (Akka's age ordering: the order in which members became up).</param>
/// <param name="Reachability">reachable or unreachable, as seen from the node that answered.</param>
public sealed record ClusterMemberView(string Address, string Status, IReadOnlyList<string> Roles, string Reachability, int AgeRank, bool IsSelf, bool IsLeader);

/// <summary>The body of GET /api/v1/cluster.</summary>
/// <param name="SingletonNode">The oldest up (or leaving/exiting) member with role coordinator: where the coordinator singleton runs; null when there is none.</param>
public sealed record ClusterStatusView(
    string SelfAddress,
    string SelfStatus,
    IReadOnlyList<string> SelfRoles,
    string? Leader,
    string? SingletonNode,
    IReadOnlyList<ClusterMemberView> Members,
    IReadOnlyList<string> Unreachable,
    IReadOnlyList<string> SeedNodes);

/// <summary>What a cluster command did: the action and the members it was applied to.</summary>
/// <param name="Action">leave, down or join.</param>
/// <param name="Note">One line for the operator (null when there is nothing to add).</param>
public sealed record ClusterActionResult(string Action, IReadOnlyList<string> Nodes, string? Note);

/// <summary>GET /api/v1/cluster as a pure function of the facts.</summary>
public static class ClusterView
{
    /// <summary>Member statuses in which the singleton manager still counts a member as a host for the singleton.</summary>
    private static readonly HashSet<string> SingletonCandidates = ["up", "leaving", "exiting"];

    public static ClusterStatusView Of(ClusterFacts facts)
    {
        var members = facts.Members.Select((m, i) => new ClusterMemberView(
            m.Address,
            m.Status,
            m.Roles,
            facts.Unreachable.Contains(m.Address) ? "unreachable" : "reachable",
            AgeRank: i + 1,
            IsSelf: m.Address == facts.SelfAddress,
            IsLeader: m.Address == facts.Leader)).ToList();
        return new ClusterStatusView(
            facts.SelfAddress,
            facts.Member(facts.SelfAddress)?.Status ?? "removed",
            facts.SelfRoles,
            facts.Leader,
            SingletonNode(facts),
            members,
            [.. facts.Members.Where(m => facts.Unreachable.Contains(m.Address)).Select(m => m.Address)],
            facts.SeedNodes);
    }

    /// <summary>Where the coordinator singleton runs: the oldest member with the role that is up, leaving or exiting.</summary>
    public static string? SingletonNode(ClusterFacts facts) =>
        facts.Members.FirstOrDefault(m => m.Roles.Contains(Settings.NodeRoles.Coordinator) && SingletonCandidates.Contains(m.Status))?.Address;
}
