using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Settings;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Api;

/// <summary>GET /api/v1/node (what this node is) and POST /api/v1/node/ping (an API → actor round trip).</summary>
public static class NodeEndpoints
{
    public const int MaxPingPayload = 1024;

    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var node = api.MapGroup("/node");
        node.MapGet("", (NodeRuntime runtime, ActorSystem system) => NodeInfo.Of(runtime, system));
        node.MapPost("/ping", PingAsync);
        return api;
    }

    public sealed record PingRequest(string Payload);

    public sealed record PingResponse(string Payload, string AnsweredBy, double RoundTripMs);

    private static async Task<PingResponse> PingAsync(PingRequest request, IRequiredActor<PingActor> ping, CancellationToken ct)
    {
        if (request.Payload.Length > MaxPingPayload)
            throw ApiException.BadRequest($"payload: {request.Payload.Length} characters, at most {MaxPingPayload}");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var actor = await ping.GetAsync(ct);
        var pong = await actor.Ask<Pong>(new Ping(request.Payload), TimeSpan.FromSeconds(5), ct);
        return new PingResponse(pong.Payload, pong.AnsweredBy, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

/// <summary>The body of GET /api/v1/node.</summary>
public sealed record NodeInfo(
    string Name,
    string Version,
    int Pid,
    string DataDir,
    string? Api,
    NodeInfo.PersistenceInfo Persistence,
    NodeInfo.ClusterInfo Cluster,
    IReadOnlyList<string> Hocon,
    DateTimeOffset StartedAt,
    double UptimeSeconds)
{
    public sealed record PersistenceInfo(string Kind, string Provider, string Location);

    public sealed record ClusterInfo(string SelfAddress, string SelfStatus, IReadOnlyList<string> Roles, string? Leader, IReadOnlyList<MemberInfo> Members, int Unreachable);

    public sealed record MemberInfo(string Address, string Status, IReadOnlyList<string> Roles);

    public static NodeInfo Of(NodeRuntime runtime, ActorSystem system)
    {
        var cluster = global::Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var settings = runtime.Settings;
        return new NodeInfo(
            Name: "fleetmerge-node",
            Version: NodeRuntime.Version,
            Pid: Environment.ProcessId,
            DataDir: settings.DataDir,
            Api: runtime.ApiAddress,
            Persistence: new PersistenceInfo(NodeSettings.PersistenceName(runtime.Persistence.Kind), runtime.Persistence.ProviderName, runtime.Persistence.Location),
            Cluster: new ClusterInfo(
                SelfAddress: cluster.SelfAddress.ToString(),
                SelfStatus: Status(cluster.SelfMember.Status),
                Roles: [.. cluster.SelfRoles.Order(StringComparer.Ordinal)],
                Leader: state.Leader?.ToString(),
                Members: [.. state.Members.Select(m => new MemberInfo(m.Address.ToString(), Status(m.Status), [.. m.Roles.Order(StringComparer.Ordinal)]))],
                Unreachable: state.Unreachable.Count),
            Hocon: runtime.HoconFiles,
            StartedAt: runtime.StartedAt,
            UptimeSeconds: Math.Round(runtime.Uptime.TotalSeconds, 3));
    }

    private static string Status(MemberStatus status) => status.ToString().ToLowerInvariant();
}
