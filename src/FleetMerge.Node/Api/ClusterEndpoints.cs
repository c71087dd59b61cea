using System.Text;
using Akka.Actor;
using Akka.Cluster;
using FleetMerge.Node.Actors;

namespace FleetMerge.Node.Api;

/// <summary>
/// The cluster as this node sees it, and the operator's membership commands (see API.md):
/// GET /api/v1/cluster, POST /api/v1/cluster/leave {"node"}, POST /api/v1/cluster/down-unreachable,
/// POST /api/v1/cluster/join {"seed"}. Decisions are <see cref="ClusterRules"/>' pure functions;
/// this file reads Akka.Cluster's state and carries the decision out.
/// </summary>
public static class ClusterEndpoints
{
    public sealed record LeaveRequest(string Node);

    public sealed record JoinRequest(string Seed);

    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        var cluster = api.MapGroup("/cluster");
        cluster.MapGet("", (ActorSystem system) => ClusterView.Of(Facts(system)));
        cluster.MapPost("/leave", (LeaveRequest request, ActorSystem system) =>
        {
            var decision = ClusterRules.Leave(Facts(system), request.Node);
            foreach (string node in decision.Nodes) Cluster.Get(system).Leave(Address.Parse(node));
            return TypedResults.Accepted((string?)null, decision);
        });
        cluster.MapPost("/down-unreachable", (ActorSystem system) =>
        {
            var decision = ClusterRules.DownUnreachable(Facts(system));
            foreach (string node in decision.Nodes) Cluster.Get(system).Down(Address.Parse(node));
            return decision;
        });
        cluster.MapPost("/join", (JoinRequest request, ActorSystem system) =>
        {
            var decision = ClusterRules.Join(Facts(system), request.Seed);
            foreach (string node in decision.Nodes) Cluster.Get(system).Join(Address.Parse(node));
            return decision.Nodes.Count == 0 ? Results.Ok(decision) : TypedResults.Accepted((string?)null, decision);
        });
        return api;
    }

    /// <summary>Akka.Cluster's current state (the local gossip view), as plain values, members oldest first.</summary>
    public static ClusterFacts Facts(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members.OrderBy(m => m, Member.AgeOrdering).Select(m => new MemberFact(
            m.Address.ToString(),
            StatusName(m.Status),
            [.. m.Roles.Order(StringComparer.Ordinal)])).ToList();
        return new ClusterFacts(
            cluster.SelfAddress.ToString(),
            [.. cluster.SelfRoles.Order(StringComparer.Ordinal)],
            state.Leader?.ToString(),
            members,
            state.Unreachable.Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal),
            [.. system.Settings.Config.GetStringList("akka.cluster.seed-nodes", [])]);
    }

    /// <summary>Akka's MemberStatus in the API's snake_case: WeaklyUp → weakly_up.</summary>
    public static string StatusName(MemberStatus status)
    {
        string name = status.ToString();
        var text = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
