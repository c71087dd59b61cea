using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FleetMerge.Torture.Api;

/// <summary>
/// Raw requests to a node's /api/v1: every answer comes back as it is (status, type, bytes), never
/// thrown, so a trial can check the exact status and error body. A request that gets no answer
/// within <see cref="Patience"/> throws a <see cref="TimeoutException"/> naming it: a hang.
/// </summary>
public sealed class ApiClient(string api, string token) : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = new Uri(api.TrimEnd('/') + "/"),
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public string Token { get; } = token;

    public string BaseAddress => http.BaseAddress!.ToString();

    /// <summary>A JSON body from an object (snake_case as the API wants it).</summary>
    public static HttpContent Json(object body) => JsonText(JsonSerializer.Serialize(body, ApiJsonOptions.Value));

    /// <summary>A JSON body from text, possibly malformed on purpose.</summary>
    public static HttpContent JsonText(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    public static HttpContent Bytes(byte[] data)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancel = default) => SendAsync(HttpMethod.Get, path, null, cancel);

    public Task<ApiAnswer> PostAsync(string path, object? body, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : Json(body), cancel);

    public Task<ApiAnswer> PutBytesAsync(string path, byte[] data, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Put, path, Bytes(data), cancel);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancel = default) => SendAsync(HttpMethod.Delete, path, null, cancel);

    /// <summary>With this node's token.</summary>
    public Task<ApiAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancel = default) =>
        SendAsync(method, path, content, $"Bearer {Token}", cancel);

    /// <summary>With the Authorization header given as is (null: none at all).</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, string? authorization, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Patience);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // A server-sent event stream never ends by itself: its status and first bytes are the answer.
            bool stream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            byte[] body = stream ? [] : await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return new ApiAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path}: no answer within {Patience.TotalSeconds:F0} s");
        }
    }

    public void Dispose() => http.Dispose();
}
