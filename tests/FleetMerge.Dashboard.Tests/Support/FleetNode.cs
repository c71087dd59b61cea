using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>
/// One real node that is the whole fleet: a one-node cluster with the coordinator, its own host
/// "node1" (no volumes) and six simulated hosts sim-0001 … sim-0006, each with a 16 MiB vg0/root,
/// merges limited to 4 MiB/s so a merge lasts seconds. Labels of the simulated hosts: env=sim,
/// node=node1, rack=r0|r1|r2 (i mod 3), canary=true on sim-0001 and sim-0002.
/// </summary>
public sealed class FleetNode : IAsyncDisposable
{
    public const string OwnHost = "node1";
    public static readonly string[] SimHosts = ["sim-0001", "sim-0002", "sim-0003", "sim-0004", "sim-0005", "sim-0006"];
    public static IEnumerable<string> AllHosts => SimHosts.Prepend(OwnHost);

    private readonly TempDir data = new("fleetmerge-dashboard-data");
    private NodeProcess? node;

    public string Api { get; private set; } = "";
    public string Token => File.ReadAllText(Path.Combine(data.Path, "api-token")).Trim();
    public HttpClient Http { get; private set; } = null!;

    public async Task StartAsync()
    {
        node = NodeProcess.Start(["--data-dir", data.Path, "--api-port", "0", "--host-id", OwnHost,
            "--simulate-hosts", $"{SimHosts.Length}", "--simulate-volume-size", "16M", "--merge-max-rate", "4M"]);
        Api = await node.WaitForReadyAsync();
        Http = new HttpClient { BaseAddress = new Uri(Api), Timeout = TimeSpan.FromSeconds(40) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await EveryHostIdleWithItsOriginOnlyAsync();
    }

    public string Describe(string what) => node?.Describe(what) ?? what;

    // ---------------------------------------------------------------- the API's own answers

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync($"api/v1/{path}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync($"api/v1/{path}", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<List<JsonElement>> HostsAsync() => [.. (await GetAsync("hosts")).EnumerateArray()];

    public Task<JsonElement> HostAsync(string id) => GetAsync($"hosts/{id}");

    public Task<JsonElement> CampaignAsync(string id) => GetAsync($"campaigns/{id}");

    public async Task<List<string>> VolumeNamesAsync(string hostId) =>
        [.. (await HostAsync(hostId)).GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>Until the campaign is over (the API's own view), which must be <paramref name="state"/>.</summary>
    public async Task<JsonElement> AwaitCampaignAsync(string id, string state)
    {
        JsonElement view = default;
        await Eventually.Until($"{id} is over", async () =>
        {
            view = await CampaignAsync(id);
            string now = view.GetProperty("state").GetString()!;
            bool over = now is "completed" or "aborted" or "failed" && view.GetProperty("hosts").EnumerateArray().All(h => h.GetProperty("outcome").GetString() != "running");
            return (over, view.ToString());
        }, TimeSpan.FromSeconds(120));
        Assert.Equal(state, view.GetProperty("state").GetString());
        return view;
    }

    /// <summary>
    /// Every host registered, reachable and idle, the simulated ones with their origin only: how a
    /// test finds the fleet and must leave it (each host reports after its last step, so the
    /// registry may hear it just after a campaign ended).
    /// </summary>
    public Task EveryHostIdleWithItsOriginOnlyAsync() => Eventually.Until("every host idle with its origin only", async () =>
    {
        using var response = await Http.GetAsync("api/v1/hosts");
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) return (false, $"{(int)response.StatusCode} {text}");
        var hosts = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        bool ok = hosts.Select(h => h.GetProperty("host_id").GetString()).Order(StringComparer.Ordinal).SequenceEqual(AllHosts.Order(StringComparer.Ordinal))
            && hosts.All(h => h.GetProperty("state").GetString() == "idle" && h.GetProperty("reachability").GetString() == "reachable")
            && hosts.Where(h => h.GetProperty("simulated").GetBoolean())
                .All(h => h.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()).SequenceEqual(["root"]));
        return (ok, text);
    });

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            if (node is not null) await node.DisposeAsync();
        }
        finally
        {
            data.Dispose();
        }
    }
}
