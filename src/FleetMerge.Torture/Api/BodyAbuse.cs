namespace FleetMerge.Torture.Api;

/// <summary>
/// Malformed JSON, wrong types, missing and unknown fields, huge, negative and misaligned sizes,
/// bad chunk sizes and merge modes: 400 naming the field (or 415 for a body that is not JSON), and
/// nothing created (the model does not get the name, so a half-created volume is a difference).
/// </summary>
public static class BodyAbuse
{
    public static AbuseCase Case { get; } = new("bad-body", RunAsync);

    /// <summary>A body and the word its error must name (null: any one-line 400).</summary>
    public sealed record BadBody(string Json, string? Names);

    public static IReadOnlyList<BadBody> ForVolume(string name) =>
    [
        new("{", null),
        new("", null),
        new("null", null),
        new("[]", null),
        new("\"x\"", null),
        new("{\"name\": \"" + name + "\"", null),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576,}", null),
        new("{}", "name"),
        new("{\"name\": \"" + name + "\"}", "size_bytes"),
        new("{\"size_bytes\": 1048576}", "name"),
        new("{\"name\": 5, \"size_bytes\": 1048576}", "name"),
        new("{\"name\": null, \"size_bytes\": 1048576}", "name"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": \"1M\"}", "size_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": true}", "size_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1.5}", "size_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1e400}", "size_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 99999999999999999999999}", "size_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": -512}", "size"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 0}", "size"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 513}", "size"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 9223372036854775807}", "size"),
        // Whole sectors, but beyond any file system's largest file.
        new("{\"name\": \"" + name + "\", \"size_bytes\": 4611686018427387904}", "size"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 9223372036854775296}", "size"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"extra\": 1}", "extra"),
    ];

    public static IReadOnlyList<BadBody> ForSnapshot(string name) =>
    [
        .. ForVolume(name),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"chunk_bytes\": 1000}", "chunk"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"chunk_bytes\": 0}", "chunk"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"chunk_bytes\": -4096}", "chunk"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 4194304, \"chunk_bytes\": 1048576}", "chunk"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"chunk_bytes\": \"4K\"}", "chunk_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 1048576, \"chunk_bytes\": 4294967296}", "chunk_bytes"),
        new("{\"name\": \"" + name + "\", \"size_bytes\": 8192, \"chunk_bytes\": 4096}", "3 chunks"),
    ];

    public static IReadOnlyList<BadBody> ForMerge { get; } =
    [
        new("{\"mode\": \"sideways\"}", "mode"),
        new("{\"mode\": 5}", "mode"),
        new("{\"mode\": \"nameorigin\", \"now\": true}", "now"),
        new("{", null),
        new("[\"nameorigin\"]", null),
    ];

    private static async Task<string?> RunAsync(AbuseContext c)
    {
        string name = c.Fresh("bad");
        (string Path, IReadOnlyList<BadBody> Bodies)[] targets =
        [
            ("vgs", [new("{", null), new("{}", "name"), new("{\"name\": 5}", "name"), new("{\"name\": null}", "name"),
                new("{\"nome\": \"" + name + "\"}", "nome"), new("{\"name\": \"" + name + "\", \"x\": 1}", "x"), new("[]", null), new("", null)]),
            ($"vgs/{c.Vg}/lvs", ForVolume(name)),
            ($"vgs/{c.Vg}/lvs/{AbuseContext.Base}/snapshots", ForSnapshot(name)),
            ($"vgs/{c.Vg}/lvs/{AbuseContext.Base}/rename", [new("{}", "new_name"), new("{\"new_name\": 7}", "new_name"), new("{\"name\": \"x\"}", "name")]),
            ($"vgs/{c.Vg}/lvs/{AbuseContext.BaseSnapshot}/merge", ForMerge),
        ];
        for (int i = c.Random.Next(2, 6); i > 0; i--)
        {
            var (path, bodies) = c.Pick(targets);
            var body = c.Pick(bodies);
            var answer = await c.Api.SendAsync(HttpMethod.Post, path, ApiClient.JsonText(body.Json));
            if (AnswerCheck.Refusal(answer, $"POST {path} {Shorten(body.Json)}", 400, body.Names) is { } wrong) return wrong;
        }
        // Not JSON at all: 415.
        var text = await c.Api.SendAsync(HttpMethod.Post, "vgs", new StringContent($"name={name}", System.Text.Encoding.UTF8, "text/plain"));
        return AnswerCheck.Refusal(text, "POST vgs as text/plain", 415);
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
