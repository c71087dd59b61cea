using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FleetMerge.Node.Tests.Process;

/// <summary>A small client for the vg/lv API: JSON in, (status, JSON) out.</summary>
public sealed class VolumeApi(HttpClient client) : IDisposable
{
    public HttpClient Client => client;

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NoContent) return (response.StatusCode, default);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? json = null) => SendAsync(HttpMethod.Post, path, json);

    /// <summary>Expects <paramref name="expected"/>; the message shows the body otherwise.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, string? json = null)
    {
        var (status, body) = await SendAsync(method, path, json);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {body}");
        return body;
    }

    public Task<JsonElement> OkAsync(HttpMethod method, string path, string? json = null) => ExpectAsync(HttpStatusCode.OK, method, path, json);

    public async Task<string> ErrorAsync(HttpStatusCode expected, HttpMethod method, string path, string? json = null)
    {
        var body = await ExpectAsync(expected, method, path, json);
        return body.GetProperty("error").GetString() ?? "";
    }

    public async Task WriteAsync(string vg, string lv, long offset, byte[] data)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PutAsync($"/api/v1/vgs/{vg}/lvs/{lv}/data?offset={offset}", content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"write {vg}/{lv}: {(int)response.StatusCode} {text}");
        Assert.Equal(data.Length, JsonDocument.Parse(text).RootElement.GetProperty("written").GetInt64());
    }

    public async Task<byte[]> ReadAsync(string vg, string lv, long offset, long length)
    {
        using var response = await client.GetAsync($"/api/v1/vgs/{vg}/lvs/{lv}/data?offset={offset}&length={length}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"read {vg}/{lv}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }

    /// <summary>Polls GET merge until <paramref name="until"/>; returns every state seen.</summary>
    public async Task<List<JsonElement>> PollMergeAsync(string vg, string snapshot, Func<JsonElement, bool> until, TimeSpan? timeout = null)
    {
        var seen = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var merge = await OkAsync(HttpMethod.Get, $"/api/v1/vgs/{vg}/lvs/{snapshot}/merge");
            seen.Add(merge);
            if (until(merge)) return seen;
            await Task.Delay(50);
        }
        throw new TimeoutException($"merge of {vg}/{snapshot}: last state {(seen.Count > 0 ? seen[^1] : "none")}");
    }

    public static byte[] Pattern(byte seed, int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(seed * 31 + i / 4096 * 7 + i % 251);
        return data;
    }

    public void Dispose() => client.Dispose();
}
