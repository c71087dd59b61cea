using System.Text;

namespace FleetMerge.Torture.Api;

/// <summary>Requests without the right bearer token: 401 on every /api/v1 path (unknown ones and event streams too), and nothing done.</summary>
public static class AuthAbuse
{
    public static AbuseCase Case { get; } = new("wrong-token", RunAsync);

    /// <summary>Authorization header values that must not pass, from the real token (null: no header).</summary>
    public static IReadOnlyList<string?> BadHeaders(string token, Random random) =>
    [
        null,
        "",
        "Bearer",
        "Bearer ",
        $"Bearer {RandomHex(random)}",
        $"Bearer {token.ToUpperInvariant()}",
        $"Bearer {token[..^1]}",
        $"Bearer {token}0",
        $"Bearer {token} x",
        $"Bearer {token[..32]} {token[32..]}",
        $"Basic {Convert.ToBase64String(Encoding.ASCII.GetBytes($"fleetmerge:{token}"))}",
        $"Token {token}",
        token,
        $"Bearer \"{token}\"",
    ];

    private static async Task<string?> RunAsync(AbuseContext c)
    {
        string vg = c.Vg, unauthorizedVg = c.Fresh("unauth");
        (HttpMethod Method, string Path, Func<HttpContent?> Body)[] requests =
        [
            (HttpMethod.Get, "vgs", () => null),
            (HttpMethod.Get, "lvs", () => null),
            (HttpMethod.Post, "vgs", () => ApiClient.Json(new { name = unauthorizedVg })),
            (HttpMethod.Post, $"vgs/{vg}/lvs", () => ApiClient.Json(new { name = unauthorizedVg, size_bytes = 1 << 20 })),
            (HttpMethod.Delete, $"vgs/{vg}/lvs/{AbuseContext.Base}", () => null),
            (HttpMethod.Put, $"vgs/{vg}/lvs/{AbuseContext.Base}/data?offset=0", () => ApiClient.Bytes(new byte[4096])),
            (HttpMethod.Get, $"vgs/{vg}/lvs/{AbuseContext.Base}/data", () => null),
            (HttpMethod.Get, $"vgs/{vg}/lvs/{AbuseContext.Base}/merge/events", () => null),
            (HttpMethod.Get, "events/campaigns", () => null),
            (HttpMethod.Get, "events/hosts", () => null),
            (HttpMethod.Get, "metrics", () => null),
            (HttpMethod.Get, "node", () => null),
            (HttpMethod.Get, "health", () => null),
            (HttpMethod.Get, "no/such/endpoint", () => null),
            (HttpMethod.Delete, "vgs", () => null),
            (HttpMethod.Post, "campaigns", () => ApiClient.Json(new { kind = "snapshot" })),
            (HttpMethod.Post, "node/ping", () => ApiClient.JsonText("{")),
        ];
        var headers = BadHeaders(c.Api.Token, c.Random);
        for (int i = c.Random.Next(2, 6); i > 0; i--)
        {
            var (method, path, body) = c.Pick(requests);
            string? header = c.Pick(headers);
            var answer = await c.Api.SendAsync(method, path, body(), header);
            string shown = header is null ? "no Authorization" : $"Authorization '{(header.Length > 20 ? header[..20] + "…" : header)}'";
            if (AnswerCheck.Refusal(answer, $"{method} {path} with {shown}", 401) is { } wrong) return wrong;
        }
        return null;
    }

    private static string RandomHex(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
