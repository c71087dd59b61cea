using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Api;

/// <summary>
/// The cluster commands' decisions as pure functions of <see cref="ClusterFacts"/>: which members
/// a command applies to, or the refusal (<see cref="ApiException"/>: 400 bad address, 404 unknown
/// member, 409 not possible in this state). The endpoint then only carries the decision out.
/// </summary>
public static class ClusterRules
{
    /// <summary>POST /cluster/leave: the member leaves gracefully (hands its singletons over, then stops).</summary>
    public static ClusterActionResult Leave(ClusterFacts facts, string? node)
    {
        string address = Address(node, "node");
        var member = facts.Member(address)
            ?? throw ApiException.NotFound($"{address} is not a member of this cluster (see GET /api/v1/cluster)");
        if (member.Status is "down" or "removed")
            throw ApiException.Conflict($"{address} is {member.Status}: the leader removes it, there is nothing to leave");
        string? note = address == facts.SelfAddress
            ? "this node leaves the cluster: it hands its singletons over and then stops"
            : member.Status is "leaving" or "exiting" ? $"{address} is already {member.Status}" : null;
        return new ClusterActionResult("leave", [address], note);
    }

    /// <summary>POST /cluster/down-unreachable: every member this node sees unreachable is downed (the operator's word over the resolver's wait).</summary>
    public static ClusterActionResult DownUnreachable(ClusterFacts facts)
    {
        var targets = facts.Members
            .Where(m => facts.Unreachable.Contains(m.Address) && m.Address != facts.SelfAddress && m.Status is not ("down" or "removed"))
            .Select(m => m.Address)
            .ToList();
        return new ClusterActionResult("down", targets, targets.Count == 0 ? "no member is unreachable from this node" : null);
    }

    /// <summary>
    /// POST /cluster/join: a node that is in no cluster yet (its seeds never answered) joins the seed.
    /// Akka does not move a member from one cluster to another, so a member is refused (409), unless
    /// the seed is already in its cluster (nothing to do).
    /// </summary>
    public static ClusterActionResult Join(ClusterFacts facts, string? seed)
    {
        string address = Address(seed, "seed");
        if (facts.SelfIsMember)
        {
            if (facts.Member(address) is { Status: not ("down" or "removed") })
                return new ClusterActionResult("join", [], $"{address} is already a member of this node's cluster");
            throw ApiException.Conflict(
                $"this node is already a member of a cluster ({facts.Members.Count} member{(facts.Members.Count == 1 ? "" : "s")}, leader {facts.Leader ?? "none"}); "
                + $"a member cannot move to another cluster: restart it with --seed-nodes {address}");
        }
        if (address == facts.SelfAddress)
            return new ClusterActionResult("join", [address], "this node forms a new one-node cluster");
        return new ClusterActionResult("join", [address], null);
    }

    private static string Address(string? text, string property)
    {
        if (text is null || text.Trim().Length == 0) throw ApiException.BadRequest($"{property}: a cluster address is required (akka.tcp://{Actors.NodeAkka.SystemName}@HOST:PORT or HOST:PORT)");
        try { return ClusterAddress.Parse(text, Actors.NodeAkka.SystemName); }
        catch (FormatException e) { throw ApiException.BadRequest($"{property}: {e.Message}"); }
    }
}
