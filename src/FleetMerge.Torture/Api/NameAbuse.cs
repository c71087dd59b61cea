namespace FleetMerge.Torture.Api;

/// <summary>
/// Bad names in every place a name is given (group, volume, snapshot, rename): 400 naming the name,
/// nothing created, and none of them run by a shell. Bad names in the path: 400 or 404, never 5xx.
/// </summary>
public static class NameAbuse
{
    public static AbuseCase Case { get; } = new("bad-name", RunAsync);

    private static async Task<string?> RunAsync(AbuseContext c)
    {
        var names = BadNames.All(c.Canary);
        for (int i = c.Random.Next(2, 6); i > 0; i--)
        {
            int place = c.Random.Next(4);
            string bad = place > 0 && c.Random.Next(5) == 0 ? c.Pick(BadNames.ReservedForVolumes) : c.Pick(names);
            (string Path, object Body) request = place switch
            {
                0 => ("vgs", new { name = bad }),
                1 => ($"vgs/{c.Vg}/lvs", new { name = bad, size_bytes = 1 << 20 }),
                2 => ($"vgs/{c.Vg}/lvs/{AbuseContext.Base}/snapshots", new { name = bad, size_bytes = 1 << 20 }),
                _ => ($"vgs/{c.Vg}/lvs/{AbuseContext.Base}/rename", (object)new { new_name = bad }),
            };
            var answer = await c.Api.PostAsync(request.Path, request.Body);
            if (AnswerCheck.Refusal(answer, $"POST {request.Path} with name {Show(bad)}", 400, "name") is { } wrong) return wrong;

            // The same name where the path carries it: an unknown (or impossible) thing.
            string escaped = Uri.EscapeDataString(bad);
            string path = c.Random.Next(3) switch
            {
                0 => $"vgs/{escaped}/lvs",
                1 => $"vgs/{c.Vg}/lvs/{escaped}/data?length=512",
                _ => $"vgs/{c.Vg}/lvs/{escaped}/merge",
            };
            // An empty segment is another route, and a client removes "." and ".." segments before sending.
            if (escaped.Trim('.').Length == 0) continue;
            var inPath = await c.Api.GetAsync(path);
            // Kestrel refuses a NUL in the path itself (RFC 9112), before any middleware: a bare 400 is all it sends.
            if (bad.Contains('\0') && inPath.Status == 400 && inPath.Body.Length == 0) continue;
            // The same for a request line over its limit (8 KiB): 414 before any middleware.
            if (path.Length > 8000 && inPath.Status == 414) continue;
            if (AnswerCheck.Refusal(inPath, $"GET {(path.Length > 80 ? path[..80] + "…" : path)}", [400, 404]) is { } wrongPath) return wrongPath;
        }
        return null;
    }

    public static string Show(string name) =>
        (name.Length > 40 ? $"{name[..20]}… ({name.Length} characters)" : name).Replace("\0", "\\0").Replace("\n", "\\n").Replace("\t", "\\t");
}
