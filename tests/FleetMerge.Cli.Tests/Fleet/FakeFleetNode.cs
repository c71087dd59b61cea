using System.Text;
using System.Text.Json.Nodes;
using FleetMerge.Cli.Tests.Remote;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>
/// A stand-in for the node's fleet API (/api/v1/hosts, /campaigns, /policies; bearer token
/// <see cref="FakeNode.Token"/>; snake_case JSON; {"error"} bodies) with canned answers a test
/// sets: hosts (<see cref="FleetViews"/>), campaign views played one per GET (the last one
/// repeats, so `status --watch` sees a campaign move), policies, and refusals. It records every
/// request with its body.
/// </summary>
public sealed class FakeFleetNode : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly List<(string Method, string Path, string? Body)> requests = [];
    private readonly Dictionary<string, Queue<JsonObject>> campaigns = new(StringComparer.Ordinal);
    private readonly List<(string Method, string Path, int Status, string Message)> refusals = [];

    private FakeFleetNode(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    public List<JsonObject> Hosts { get; } = [FleetViews.HostView("sim-0001", "r0", canary: true), FleetViews.HostView("sim-0002", "r1", canary: true), FleetViews.HostView("sim-0003", "r2")];
    public JsonArray CampaignList { get; set; } = [];
    public List<JsonObject> Policies { get; } = [];
    public JsonObject Accepted { get; set; } = new() { ["id"] = "c9", ["hosts"] = 3 };

    public IReadOnlyList<(string Method, string Path, string? Body)> Requests
    {
        get { lock (gate) return [.. requests]; }
    }

    /// <summary>GET /campaigns/{id} answers these views in turn, then the last one again and again.</summary>
    public void Play(string id, params JsonObject[] views)
    {
        lock (gate) campaigns[id] = new Queue<JsonObject>(views);
    }

    /// <summary>Every later request METHOD PATH (path and query, as sent) is refused with this status and message.</summary>
    public void Refuse(string method, string path, int status, string message)
    {
        lock (gate) refusals.Add((method, path, status, message));
    }

    public static async Task<FakeFleetNode> StartAsync()
    {
        var app = FakeApiHost.Build();
        var node = new FakeFleetNode(app);
        node.Map();
        node.Url = await FakeApiHost.StartAsync(app);
        return node;
    }

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            string? body = null;
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
                body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            string path = (context.Request.Path.Value ?? "") + context.Request.QueryString.Value;
            (string Method, string Path, int Status, string Message)? refusal = null;
            lock (gate)
            {
                requests.Add((context.Request.Method, path, body));
                int match = refusals.FindIndex(r => r.Method == context.Request.Method && r.Path == path);
                if (match >= 0) refusal = refusals[match];
            }
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {FakeNode.Token}")
            {
                await Error(401, "wrong bearer token").ExecuteAsync(context);
                return;
            }
            if (refusal is { } r)
            {
                await Error(r.Status, r.Message).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

        var api = app.MapGroup("/api/v1");
        api.MapGet("/hosts", (string? selector) =>
        {
            lock (gate)
            {
                var hosts = Hosts.Where(h => selector is null || Matches(h, selector)).Select(h => (JsonNode)h.DeepClone());
                return Json(new JsonArray([.. hosts]));
            }
        });
        api.MapGet("/hosts/{id}", (string id) =>
        {
            lock (gate)
                return Hosts.FirstOrDefault(h => (string)h["host_id"]! == id) is { } host ? Json(host.DeepClone()) : Error(404, $"host '{id}' is not registered");
        });

        api.MapPost("/campaigns", () => Json(Accepted.DeepClone(), 201));
        api.MapGet("/campaigns", () => Json(CampaignList.DeepClone()));
        api.MapGet("/campaigns/{id}", (string id) =>
        {
            lock (gate)
            {
                if (!campaigns.TryGetValue(id, out var views)) return Error(404, $"campaign {id}: no such campaign");
                return Json((views.Count > 1 ? views.Dequeue() : views.Peek()).DeepClone());
            }
        });
        foreach (var (verb, state) in new[] { ("pause", "paused"), ("resume", "running"), ("abort", "aborted") })
            api.MapPost($"/campaigns/{{id}}/{verb}", (string id) =>
            {
                lock (gate)
                {
                    if (!campaigns.TryGetValue(id, out var views)) return Error(404, $"campaign {id}: no such campaign");
                    var view = (JsonObject)views.Peek().DeepClone();
                    view["state"] = state;
                    return Json(view);
                }
            });

        api.MapPost("/policies", (HttpContext context) =>
        {
            lock (gate)
                return Policies.Count > 0 ? Json(Policies[0].DeepClone(), 201) : Error(500, "the test set no policy to answer with");
        });
        api.MapGet("/policies", () =>
        {
            lock (gate) return Json(new JsonArray([.. Policies.Select(p => p.DeepClone())]));
        });
        api.MapGet("/policies/{name}", (string name) => PolicyView(name) is { } p ? Json(p) : Error(404, $"policy '{name}' not found"));
        api.MapDelete("/policies/{name}", (string name) => PolicyView(name) is { } p ? Json(p) : Error(404, $"policy '{name}' not found"));
        api.MapPost("/policies/{name}/run", (string name) => PolicyView(name) is not null ? Json(Accepted.DeepClone(), 201) : Error(404, $"policy '{name}' not found"));
    }

    private JsonNode? PolicyView(string name)
    {
        lock (gate) return Policies.FirstOrDefault(p => (string)p["spec"]!["name"]! == name)?.DeepClone();
    }

    /// <summary>Only what the tests use: key=value terms joined by commas.</summary>
    private static bool Matches(JsonObject host, string selector) =>
        selector.Split(',').All(term => term.Split('=') is [var key, var value] && host["labels"]![key]?.GetValue<string>() == value);

    public ValueTask DisposeAsync() => FakeApiHost.StopAsync(app);
}
