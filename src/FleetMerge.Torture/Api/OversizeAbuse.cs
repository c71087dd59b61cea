namespace FleetMerge.Torture.Api;

/// <summary>
/// Large bodies: a multi-MiB JSON body under the node's --max-body (400: the name is too long), and
/// bodies over it, with a Content-Length and chunked, JSON and data (413, or 400), never a hang or a 5xx.
/// </summary>
public static class OversizeAbuse
{
    public static AbuseCase Case(long maxBody) => new("oversized-body", c => RunAsync(c, maxBody));

    private static async Task<string?> RunAsync(AbuseContext c, long maxBody)
    {
        switch (c.Random.Next(4))
        {
            case 0:
            {
                string name = new('n', (int)(maxBody / 2));
                var answer = await c.Api.PostAsync("vgs", new { name });
                return AnswerCheck.Refusal(answer, $"POST vgs with a {name.Length}-character name", 400, "name");
            }
            case 1:
            {
                string json = $"{{\"name\": \"{new string('n', (int)maxBody + c.Random.Next(1, 1 << 20))}\"}}";
                var answer = await RawHttp.SendAsync(Url(c, $"vgs/{c.Vg}/lvs"), "POST", c.Api.Token, "application/json", System.Text.Encoding.UTF8.GetBytes(json), chunked: false);
                return AnswerCheck.Refusal(answer, $"POST lvs with a {json.Length}-byte JSON body", [413, 400]);
            }
            case 2:
            {
                var data = new byte[maxBody + c.Random.Next(1, 1 << 20)];
                bool chunked = c.Random.Next(2) == 0;
                var answer = await RawHttp.SendAsync(Url(c, $"vgs/{c.Vg}/lvs/{AbuseContext.Base}/data?offset=0"), "PUT", c.Api.Token, "application/octet-stream", data, chunked);
                return AnswerCheck.Refusal(answer, $"PUT data of {data.Length} bytes{(chunked ? " (chunked)" : "")}", [413, 400]);
            }
            default:
            {
                // Chunked: no Content-Length to refuse up front, the limit must hold while reading.
                var data = new byte[maxBody + c.Random.Next(1, 1 << 20)];
                Array.Fill(data, (byte)' ');
                var answer = await RawHttp.SendAsync(Url(c, "vgs"), "POST", c.Api.Token, "application/json", data, chunked: true);
                return AnswerCheck.Refusal(answer, $"POST vgs with a chunked {data.Length}-byte body", [413, 400]);
            }
        }
    }

    private static Uri Url(AbuseContext c, string path) => new(new Uri(c.Api.BaseAddress), path);
}
