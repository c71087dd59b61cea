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
                var answer = await c.Api.SendAsync(HttpMethod.Post, $"vgs/{c.Vg}/lvs", ApiClient.JsonText(json));
                return AnswerCheck.Refusal(answer, $"POST lvs with a {json.Length}-byte JSON body", [413, 400]);
            }
            case 2:
            {
                var data = new byte[maxBody + c.Random.Next(1, 1 << 20)];
                var answer = await c.Api.PutBytesAsync($"vgs/{c.Vg}/lvs/{AbuseContext.Base}/data?offset=0", data);
                return AnswerCheck.Refusal(answer, $"PUT data of {data.Length} bytes", [413, 400]);
            }
            default:
            {
                // Chunked: no Content-Length to refuse up front, the limit must hold while reading.
                var data = new byte[maxBody + c.Random.Next(1, 1 << 20)];
                var content = new StreamContent(new MemoryStream(data));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                content.Headers.ContentLength = null;
                var answer = await c.Api.SendAsync(HttpMethod.Post, "vgs", new ChunkedContent(content));
                return AnswerCheck.Refusal(answer, $"POST vgs with a chunked {data.Length}-byte body", [413, 400]);
            }
        }
    }

    /// <summary>Hides the length so HttpClient sends Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent inner;

        public ChunkedContent(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
