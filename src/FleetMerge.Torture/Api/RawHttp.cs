using System.Net.Sockets;
using System.Text;

namespace FleetMerge.Torture.Api;

/// <summary>
/// One HTTP/1.1 request on its own TCP connection, for bodies the server may refuse before reading
/// them: HttpClient throws when the server answers 413 and closes while the body is still being sent,
/// and the pool may reuse the closed connection. Here the body is sent until the server stops taking
/// it, then the answer is read whatever happened to the rest of the body.
/// </summary>
public static class RawHttp
{
    public static async Task<ApiAnswer> SendAsync(Uri url, string method, string token, string contentType, byte[] body, bool chunked, CancellationToken cancel = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(ApiClient.Patience);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(url.Host, url.Port, timeout.Token);
            var stream = tcp.GetStream();
            var head = new StringBuilder()
                .Append($"{method} {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {token}\r\n")
                .Append($"Content-Type: {contentType}\r\nConnection: close\r\n")
                .Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n")
                .Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
            try
            {
                await WriteBodyAsync(stream, body, chunked, timeout.Token);
            }
            catch (IOException)
            {
                // The server answered and closed before taking the whole body: its answer is still there to read.
            }
            return Parse(await ReadToEndAsync(stream, timeout.Token), $"{method} {url.PathAndQuery}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {url.PathAndQuery} with a {body.Length}-byte body: no answer within {ApiClient.Patience.TotalSeconds:F0} s");
        }
    }

    private static async Task WriteBodyAsync(NetworkStream stream, byte[] body, bool chunked, CancellationToken cancel)
    {
        const int piece = 64 << 10;
        for (int at = 0; at < body.Length; at += piece)
        {
            int n = Math.Min(piece, body.Length - at);
            if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), cancel);
            await stream.WriteAsync(body.AsMemory(at, n), cancel);
            if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), cancel);
        }
        if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancel);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancel)
    {
        using var answer = new MemoryStream();
        var buffer = new byte[16 << 10];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancel)) > 0) answer.Write(buffer, 0, n);
        }
        catch (IOException) when (answer.Length > 0)
        {
            // A reset after the answer (the server closed with unread body bytes): the answer is complete.
        }
        return answer.ToArray();
    }

    /// <summary>Status line, headers, and the body (by Content-Length, else what is left; chunked answers are de-chunked).</summary>
    public static ApiAnswer Parse(byte[] raw, string request)
    {
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) throw new InvalidOperationException($"{request}: no complete HTTP answer ({raw.Length} bytes)");
        string[] lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        string[] status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !int.TryParse(status[1], out int code)) throw new InvalidOperationException($"{request}: bad status line '{lines[0]}'");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        byte[] body = raw[(end + 4)..];
        if (headers.TryGetValue("Content-Length", out string? length) && int.TryParse(length, out int n) && n <= body.Length) body = body[..n];
        else if (headers.TryGetValue("Transfer-Encoding", out string? te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        string? type = headers.TryGetValue("Content-Type", out string? t) ? t.Split(';')[0].Trim() : null;
        return new ApiAnswer(code, type, body);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var result = new MemoryStream();
        int at = 0;
        while (at < body.Length)
        {
            int line = body.AsSpan(at).IndexOf("\r\n"u8);
            if (line < 0) break;
            int size = Convert.ToInt32(Encoding.ASCII.GetString(body, at, line).Split(';')[0], 16);
            at += line + 2;
            if (size == 0 || at + size > body.Length) break;
            result.Write(body, at, size);
            at += size + 2;
        }
        return result.ToArray();
    }
}
