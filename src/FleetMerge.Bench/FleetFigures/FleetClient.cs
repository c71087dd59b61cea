using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMerge.Node.Api;
using FleetMerge.Node.Api.Fleet;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// The fleet part of one node's HTTP API (API.md, "The fleet"), with that node's token. Every call
/// may be given its own time limit: after a SIGKILL a request can wait on a coordinator that is gone.
/// </summary>
public sealed class FleetClient : IDisposable
{
    private readonly HttpClient http;

    public FleetClient(string api, string tokenFile)
    {
        Api = api;
        http = new HttpClient { BaseAddress = new Uri(api.TrimEnd('/') + "/api/v1/"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile).Trim());
    }

    public string Api { get; }

    public Task<List<HostView>> HostsAsync(string selector, CancellationToken ct = default) =>
        GetAsync<List<HostView>>($"hosts?selector={Uri.EscapeDataString(selector)}", ct);

    public async Task<CampaignAccepted> StartCampaignAsync(CampaignRequest request, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("campaigns", request, ApiJson.Options, ct);
        return await ReadAsync<CampaignAccepted>(response, $"POST campaigns ({request.Kind} of {request.Hosts})", ct);
    }

    public Task<List<CampaignSummary>> CampaignsAsync(CancellationToken ct = default) => GetAsync<List<CampaignSummary>>("campaigns", ct);

    public Task<CampaignView> CampaignAsync(string id, CancellationToken ct = default) => GetAsync<CampaignView>($"campaigns/{Uri.EscapeDataString(id)}", ct);

    public Task<ClusterStatusView> ClusterAsync(CancellationToken ct = default) => GetAsync<ClusterStatusView>("cluster", ct);

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync<T>(response, $"GET {path}", ct);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new FleetApiException((int)response.StatusCode, $"{Api} {what}: {(int)response.StatusCode} {(await response.Content.ReadAsStringAsync(ct)).Trim()}");
        return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct) ?? throw new InvalidOperationException($"{Api} {what}: empty answer");
    }

    public void Dispose() => http.Dispose();
}

/// <summary>The API refused or failed a request (the status and the node's one-line error).</summary>
public sealed class FleetApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
