using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMerge.Node.Api;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Bench.Processes;

/// <summary>
/// The node's HTTP API, for set-up that would otherwise take dozens of CLI processes, and where a
/// figure needs finer timing than a CLI process gives: requesting a merge and polling its state
/// (the CLI follows merges through an event stream that the node refreshes every 200 ms, too
/// coarse to time a merge of a second or two).
/// </summary>
public sealed class NodeApi : IDisposable
{
    private readonly HttpClient http;

    public NodeApi(string api, string tokenFile)
    {
        http = new HttpClient { BaseAddress = new Uri(api.TrimEnd('/') + "/api/v1/"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile).Trim());
    }

    public async Task CreateVgAsync(string vg) =>
        await Check(await http.PostAsJsonAsync("vgs", new { name = vg }, ApiJson.Options), $"POST vgs {vg}");

    public async Task CreateLvAsync(string vg, string lv, long sizeBytes) =>
        await Check(await http.PostAsJsonAsync($"vgs/{vg}/lvs", new { name = lv, size_bytes = sizeBytes }, ApiJson.Options), $"POST lvs {vg}/{lv}");

    public async Task CreateSnapshotAsync(string vg, string origin, string snapshot, long cowBytes) =>
        await Check(await http.PostAsJsonAsync($"vgs/{vg}/lvs/{origin}/snapshots", new { name = snapshot, size_bytes = cowBytes }, ApiJson.Options),
            $"POST snapshots {vg}/{snapshot}");

    /// <summary>One PUT of at most 64 MiB (the node's request limit).</summary>
    public async Task WriteAsync(string vg, string lv, long offset, byte[] data)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await Check(await http.PutAsync($"vgs/{vg}/lvs/{lv}/data?offset={offset}", content), $"PUT data {vg}/{lv}");
    }

    public async Task<MergeState> RequestMergeAsync(string vg, string snapshot)
    {
        using var response = await http.PostAsJsonAsync($"vgs/{vg}/lvs/{snapshot}/merge", new { mode = "nameorigin" }, ApiJson.Options);
        return await Read<MergeState>(response, $"POST merge of {vg}/{snapshot}");
    }

    public async Task<MergeState> MergeStateAsync(string vg, string snapshot)
    {
        using var response = await http.GetAsync($"vgs/{vg}/lvs/{snapshot}/merge");
        return await Read<MergeState>(response, $"GET merge of {vg}/{snapshot}");
    }

    private static async Task Check(HttpResponseMessage response, string what)
    {
        using (response)
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options) ?? throw new InvalidOperationException($"{what}: empty answer");
    }

    public void Dispose() => http.Dispose();
}
