namespace FleetMerge.Torture.Api;

/// <summary>Known paths with a method they do not take: 405 with a one-line error, nothing done.</summary>
public static class MethodAbuse
{
    public static AbuseCase Case { get; } = new("wrong-method", RunAsync);

    public static IReadOnlyList<(HttpMethod Method, string Path)> Requests(string vg) =>
    [
        (HttpMethod.Delete, "vgs"),
        (HttpMethod.Put, "vgs"),
        (HttpMethod.Patch, "lvs"),
        (HttpMethod.Post, "lvs"),
        (HttpMethod.Get, $"vgs/{vg}/activate"),
        (HttpMethod.Delete, $"vgs/{vg}/lvs"),
        (HttpMethod.Put, $"vgs/{vg}/lvs/{AbuseContext.Base}/merge"),
        (HttpMethod.Post, $"vgs/{vg}/lvs/{AbuseContext.Base}/data"),
        (HttpMethod.Get, $"vgs/{vg}/lvs/{AbuseContext.Base}/rename"),
        (HttpMethod.Delete, "node"),
        (HttpMethod.Get, "node/ping"),
        (HttpMethod.Put, "campaigns"),
        (HttpMethod.Delete, "metrics"),
    ];

    private static async Task<string?> RunAsync(AbuseContext c)
    {
        var requests = Requests(c.Vg);
        for (int i = c.Random.Next(2, 5); i > 0; i--)
        {
            var (method, path) = c.Pick(requests);
            var answer = await c.Api.SendAsync(method, path, method == HttpMethod.Get || method == HttpMethod.Delete ? null : ApiClient.JsonText("{}"));
            if (AnswerCheck.Refusal(answer, $"{method} {path}", 405) is { } wrong) return wrong;
        }
        return null;
    }
}
