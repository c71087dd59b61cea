using System.Diagnostics;
using System.Text.Json;

namespace FleetMerge.Node.Api;

/// <summary>
/// text/event-stream of a polled state: one <c>data: JSON</c> event per change and at least one per
/// second, until the state is terminal, the client goes away or the node begins to stop (so an open
/// stream never holds the shutdown; clients reconnect). The first state is fetched before the stream
/// starts, so "not found" is still an ordinary JSON error.
/// </summary>
public static class ServerSentEvents
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);

    public static async Task StreamAsync<T>(HttpContext http, Func<CancellationToken, Task<T>> poll, Func<T, bool> terminal)
    {
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var ct = either.Token;
        var state = await poll(http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        string? sent = null;
        var lastSent = Stopwatch.StartNew();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                string json = JsonSerializer.Serialize(state, ApiJson.Options);
                if (json != sent || lastSent.Elapsed >= KeepAlive)
                {
                    await http.Response.WriteAsync($"data: {json}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    sent = json;
                    lastSent.Restart();
                }
                if (terminal(state)) return;
                await Task.Delay(PollInterval, ct);
                state = await poll(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away, or the node is stopping: the response ends cleanly.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (_, message) = ApiErrors.Describe(e);
            await http.Response.WriteAsync($"event: error\ndata: {JsonSerializer.Serialize(new ErrorBody(message), ApiJson.Options)}\n\n", CancellationToken.None);
        }
    }
}
