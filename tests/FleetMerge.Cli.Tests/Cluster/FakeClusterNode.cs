using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FleetMerge.Cli.Tests.Cluster;

/// <summary>
/// A stand-in for the node's cluster API (/api/v1/cluster…, bearer token <see cref="FakeNode.Token"/>,
/// snake_case JSON, {"error"} bodies) with a canned three-member view: A (oldest, coordinator, the
/// leader), B (coordinator, this node), C (host only, unreachable). It records every request and
/// refuses unknown request properties as the node does.
/// </summary>
public sealed class FakeClusterNode : IAsyncDisposable
{
    public const string A = "akka.tcp://fleetmerge@127.0.0.1:4101";
    public const string B = "akka.tcp://fleetmerge@127.0.0.1:4102";
    public const string C = "akka.tcp://fleetmerge@127.0.0.1:4103";

    private readonly WebApplication app;
    private readonly List<(string Method, string Path, string? Body)> requests = [];

    private FakeClusterNode(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<(string Method, string Path, string? Body)> Requests
    {
        get { lock (requests) return [.. requests]; }
    }

    public static async Task<FakeClusterNode> StartAsync()
    {
        var app = FakeApiHost.Build();
        var node = new FakeClusterNode(app);
        node.Map();
        node.Url = await FakeApiHost.StartAsync(app);
        return node;
    }

    private static JsonObject Member(string address, string status, string[] roles, string reachability, int age, bool self, bool leader) => new()
    {
        ["address"] = address,
        ["status"] = status,
        ["roles"] = new JsonArray(roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
        ["reachability"] = reachability,
        ["age_rank"] = age,
        ["is_self"] = self,
        ["is_leader"] = leader,
    };

    public static JsonObject View() => new()
    {
        ["self_address"] = B,
        ["self_status"] = "up",
        ["self_roles"] = new JsonArray("api", "coordinator", "host"),
        ["leader"] = A,
        ["singleton_node"] = A,
        ["members"] = new JsonArray(
            Member(A, "up", ["api", "coordinator", "host"], "reachable", 1, false, true),
            Member(B, "up", ["api", "coordinator", "host"], "reachable", 2, true, false),
            Member(C, "up", ["api", "host"], "unreachable", 3, false, false)),
        ["unreachable"] = new JsonArray(C),
        ["seed_nodes"] = new JsonArray(A, B),
    };

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    private static string Canonical(string address) => address.Contains("://", StringComparison.Ordinal) ? address : $"akka.tcp://fleetmerge@{address}";

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            string? body = null;
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
                body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            lock (requests) requests.Add((context.Request.Method, context.Request.Path.Value ?? "", body));
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {FakeNode.Token}")
            {
                await Error(401, "missing or wrong bearer token").ExecuteAsync(context);
                return;
            }
            context.Items["body"] = body;
            await next(context);
        });

        var api = app.MapGroup("/api/v1/cluster");
        api.MapGet("", () => Json(View()));
        api.MapPost("/leave", (HttpContext context) =>
        {
            if (Property(context, "node") is not { } node) return Error(400, "invalid JSON body: missing required property 'node'");
            string address = Canonical(node);
            if (address is not (A or B or C)) return Error(404, $"{address} is not a member of this cluster (see GET /api/v1/cluster)");
            return Json(new JsonObject { ["action"] = "leave", ["nodes"] = new JsonArray(address), ["note"] = null }, 202);
        });
        api.MapPost("/down-unreachable", () => Json(new JsonObject { ["action"] = "down", ["nodes"] = new JsonArray(C), ["note"] = null }));
        api.MapPost("/join", (HttpContext context) =>
        {
            if (Property(context, "seed") is not { } seed) return Error(400, "invalid JSON body: missing required property 'seed'");
            string address = Canonical(seed);
            if (address is A or B or C)
                return Json(new JsonObject { ["action"] = "join", ["nodes"] = new JsonArray(), ["note"] = $"{address} is already a member of this node's cluster" });
            return Error(409, $"this node is already a member of a cluster (3 members, leader {A}); a member cannot move to another cluster: restart it with --seed-nodes {address}");
        });
    }

    /// <summary>The one string property of the JSON body, or null when the body is not exactly {name: "…"}.</summary>
    private static string? Property(HttpContext context, string name)
    {
        if (context.Items["body"] is not string body) return null;
        try
        {
            var json = JsonNode.Parse(body)?.AsObject();
            return json is { Count: 1 } && json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => FakeApiHost.StopAsync(app);
}
