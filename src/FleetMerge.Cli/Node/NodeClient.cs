using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FleetMerge.Cli.Node;

/// <summary>
/// The node's HTTP API (/api/v1, bearer token, JSON snake_case) as the CLI uses it. Every failure
/// leaves here as a <see cref="NodeException"/> carrying its one-line message and exit code:
/// a refusal (4xx/5xx) with the node's own error text, 401 naming the token source, and a node
/// that cannot be reached naming the URL and how to start one.
/// </summary>
public sealed class NodeClient : IDisposable
{
    /// <summary>The node's largest request body and the largest data read it serves (--max-body default).</summary>
    public const int MaxPiece = 64 << 20;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DataTimeout = TimeSpan.FromMinutes(10);

    /// <summary>An event stream silent for this long is dropped for polling.</summary>
    public static TimeSpan EventStallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    private readonly HttpClient http;

    public NodeClient(NodeTarget target)
    {
        Target = target;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
            // A proxy from the environment has no business between the CLI and a node on this host.
            UseProxy = !IsLoopback(target.ApiBase),
        };
        http = new HttpClient(handler) { BaseAddress = target.ApiBase, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {target.Token}");
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("fleetmerge", "1"));
    }

    public NodeTarget Target { get; }

    public static string Segment(string name) => Uri.EscapeDataString(name);

    public static string VolumePath(string vg, string lv) => $"vgs/{Segment(vg)}/lvs/{Segment(lv)}";

    // ---------------------------------------------------------------- JSON calls

    /// <summary>Sends a JSON request; returns the answer's JSON (an undefined element for an empty answer, e.g. 204).</summary>
    public Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancel) =>
        Call($"{method} {path}", RequestTimeout, cancel, async token =>
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), ApiJson.Options), Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            await ThrowIfRefused(response, token);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(token);
            if (bytes.Length == 0) return default;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Unexpected($"{method} {path}", $"not JSON ({e.Message})");
            }
        });

    public Task<JsonElement> GetAsync(string path, CancellationToken cancel) => SendAsync(HttpMethod.Get, path, null, cancel);

    public T Decode<T>(JsonElement element, string what)
    {
        try
        {
            return element.ValueKind == JsonValueKind.Undefined
                ? throw Unexpected(what, "an empty answer")
                : element.Deserialize<T>(ApiJson.Options) ?? throw Unexpected(what, "null");
        }
        catch (JsonException e)
        {
            throw Unexpected(what, $"JSON of an unexpected shape ({e.Message})");
        }
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancel) =>
        Decode<T>(await SendAsync(method, path, body, cancel), $"{method} {path}");

    // ---------------------------------------------------------------- volume data

    /// <summary>GET …/data?offset&amp;length, copied into <paramref name="to"/>; returns the bytes the node sent.</summary>
    public Task<long> ReadDataAsync(string vg, string lv, long offset, int length, Stream to, CancellationToken cancel)
    {
        string path = $"{VolumePath(vg, lv)}/data?offset={offset}&length={length}";
        return Call($"GET {path}", DataTimeout, cancel, async token =>
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, token);
            await ThrowIfRefused(response, token);
            await using var body = await response.Content.ReadAsStreamAsync(token);
            byte[] buffer = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, token)) > 0)
            {
                total += n;
                if (total > length) throw Unexpected($"GET {path}", $"more than the {length} bytes asked for");
                await to.WriteAsync(buffer.AsMemory(0, n), token);
            }
            return total;
        });
    }

    /// <summary>PUT …/data?offset with the bytes as the body; returns the node's "written".</summary>
    public Task<long> WriteDataAsync(string vg, string lv, long offset, ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        string path = $"{VolumePath(vg, lv)}/data?offset={offset}";
        return Call($"PUT {path}", DataTimeout, cancel, async token =>
        {
            using var content = new ReadOnlyMemoryContent(data);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.PutAsync(path, content, token);
            await ThrowIfRefused(response, token);
            string text = await response.Content.ReadAsStringAsync(token);
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.TryGetProperty("written", out var written) && written.TryGetInt64(out long n)) return n;
            }
            catch (JsonException)
            {
            }
            throw Unexpected($"PUT {path}", "no {\"written\": n} in the answer");
        });
    }

    // ---------------------------------------------------------------- merge progress

    /// <summary>
    /// Follows GET …/merge/events (server-sent events, one MergeState JSON per event) and calls
    /// <paramref name="onState"/> for each. Returns the terminal state, or null when the stream
    /// is not offered, breaks or falls silent before one: the caller then polls. A 401 still throws.
    /// </summary>
    public async Task<MergeState?> FollowMergeEventsAsync(string vg, string snapshot, Action<MergeState> onState, CancellationToken cancel)
    {
        string path = $"{VolumePath(vg, snapshot)}/merge/events";
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stall.CancelAfter(EventStallTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized) await ThrowIfRefused(response, cancel);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream") return null;
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(stall.Token) is { } line)
            {
                stall.CancelAfter(EventStallTimeout);
                if (line.Length > 0)
                {
                    // "data: x" or "data:x"; other fields (event, id, retry) and ":" comments are not needed.
                    if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        if (data.Length > 0) data.Append('\n');
                        data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
                    }
                    continue;
                }
                if (data.Length == 0) continue;
                MergeState? state;
                try
                {
                    state = JsonSerializer.Deserialize<MergeState>(data.ToString(), ApiJson.Options);
                }
                catch (JsonException)
                {
                    state = null;
                }
                data.Clear();
                if (state is null) continue;
                onState(state);
                if (state.IsTerminal) return state;
            }
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------- failures

    private async Task<T> Call<T>(string what, TimeSpan timeout, CancellationToken cancel, Func<CancellationToken, Task<T>> operation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            return await operation(limit.Token);
        }
        catch (HttpRequestException e)
        {
            throw e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError
                ? CannotReach(e.Message)
                : Lost(e.Message);
        }
        catch (HttpIOException e)
        {
            throw Lost(e.Message);
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            throw Lost(e.Message);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation with a TimeoutException inside.
            throw e.InnerException is TimeoutException
                ? CannotReach("connection timed out")
                : new NodeException($"the node at {Target.Url} did not answer {what} within {timeout.TotalSeconds:0} s", ExitCodes.NodeUnreachable);
        }
    }

    private string FromWhere => Target.UrlSource is "default" ? "" : $" (from {Target.UrlSource})";

    private NodeException CannotReach(string reason) =>
        new($"cannot reach the node at {Target.Url}{FromWhere}: {OneLine(reason)}; {NodeTarget.StartHint}", ExitCodes.NodeUnreachable);

    private NodeException Lost(string reason) =>
        new($"lost the connection to the node at {Target.Url}: {OneLine(reason)}", ExitCodes.NodeUnreachable);

    private NodeException Unexpected(string what, string got) =>
        new($"the node at {Target.Url} answered {what} with {OneLine(got)}", ExitCodes.Failed);

    private async Task ThrowIfRefused(HttpResponseMessage response, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode) return;
        int status = (int)response.StatusCode;
        string message = ErrorText(await response.Content.ReadAsStringAsync(cancel))
            ?? $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        if (status == (int)HttpStatusCode.Unauthorized)
            throw new NodeException(
                $"the node at {Target.Url} refused the API token from {Target.TokenSource} ({message}); {NodeTarget.TokenHint}",
                ExitCodes.AuthenticationFailed, status);
        throw new NodeException(message, ExitCodes.Failed, status);
    }

    /// <summary>The "error" of <c>{"error": "..."}</c>, else the body's first line, else null.</summary>
    private static string? ErrorText(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(error.GetString()))
                return OneLine(error.GetString()!);
        }
        catch (JsonException)
        {
        }
        string first = OneLine(body);
        return first.Length <= 200 ? first : first[..200] + "…";
    }

    public static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public void Dispose() => http.Dispose();
}
