namespace FleetMerge.Torture.Api;

/// <summary>Unknown groups, volumes, merges, campaigns, policies, hosts and endpoints: 404 with a one-line error.</summary>
public static class UnknownAbuse
{
    public static AbuseCase Case { get; } = new("unknown-id", RunAsync);

    public static IReadOnlyList<(HttpMethod Method, string Path, object? Body)> Requests(string vg, string nope) =>
    [
        (HttpMethod.Get, $"vgs/{nope}/lvs", null),
        (HttpMethod.Get, $"lvs?vg={nope}", null),
        (HttpMethod.Post, $"vgs/{nope}/lvs", new { name = "x", size_bytes = 1 << 20 }),
        (HttpMethod.Post, $"vgs/{nope}/activate", null),
        (HttpMethod.Post, $"vgs/{nope}/deactivate", null),
        (HttpMethod.Get, $"vgs/{vg}/lvs/{nope}/data", null),
        (HttpMethod.Delete, $"vgs/{vg}/lvs/{nope}", null),
        (HttpMethod.Post, $"vgs/{vg}/lvs/{nope}/snapshots", new { name = "x", size_bytes = 1 << 20 }),
        (HttpMethod.Post, $"vgs/{vg}/lvs/{nope}/rename", new { new_name = "x" }),
        (HttpMethod.Post, $"vgs/{vg}/lvs/{nope}/activate", null),
        (HttpMethod.Post, $"vgs/{vg}/lvs/{nope}/merge", null),
        (HttpMethod.Get, $"vgs/{vg}/lvs/{nope}/merge", null),
        (HttpMethod.Get, $"vgs/{vg}/lvs/{nope}/merge/events", null),
        (HttpMethod.Get, $"vgs/{vg}/lvs/{AbuseContext.Base}/merge", null),
        (HttpMethod.Get, $"campaigns/c{nope}", null),
        (HttpMethod.Post, $"campaigns/c{nope}/pause", null),
        (HttpMethod.Post, $"campaigns/c{nope}/abort", null),
        (HttpMethod.Get, $"campaigns/c{nope}/events", null),
        (HttpMethod.Get, $"policies/{nope}", null),
        (HttpMethod.Delete, $"policies/{nope}", null),
        (HttpMethod.Post, $"policies/{nope}/run", null),
        (HttpMethod.Get, $"hosts/{nope}", null),
        (HttpMethod.Get, $"{nope}", null),
        (HttpMethod.Post, $"vgs/{vg}/{nope}", new { name = "x" }),
    ];

    private static async Task<string?> RunAsync(AbuseContext c)
    {
        var requests = Requests(c.Vg, c.Fresh("nope"));
        for (int i = c.Random.Next(2, 6); i > 0; i--)
        {
            var (method, path, body) = c.Pick(requests);
            var answer = await c.Api.SendAsync(method, path, body is null ? null : ApiClient.Json(body));
            if (AnswerCheck.Refusal(answer, $"{method} {path}", 404) is { } wrong) return wrong;
        }
        return null;
    }
}
