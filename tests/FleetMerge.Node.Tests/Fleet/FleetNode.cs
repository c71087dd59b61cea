using System.Security.Cryptography;
using System.Text.Json;
using FleetMerge.Node.Tests.EndToEnd;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// One real node that is the whole fleet: its own one-node cluster with the coordinator singleton,
/// its own host ("node1", no volumes) and simulated hosts sim-0001 … sim-0005, each with a 4 MiB
/// vg0/root under DATA_DIR/sim/&lt;id&gt;. Started once for the tests that share it (a collection
/// fixture); the real `fleetmerge` CLI drives it. Labels of the simulated hosts: env=sim,
/// rack=r0 (sim-0001, sim-0004), r1 (sim-0002, sim-0005), r2 (sim-0003), canary=true on sim-0001
/// and sim-0002.
/// </summary>
public abstract class FleetNode : IAsyncLifetime
{
    public static readonly string[] SimHosts = ["sim-0001", "sim-0002", "sim-0003", "sim-0004", "sim-0005"];
    public const string OwnHost = "node1";

    private EndToEndNode? e2e;

    /// <summary>--simulate-faults of this node.</summary>
    protected abstract string Faults { get; }

    public EndToEndNode E2e => e2e ?? throw new InvalidOperationException("the fleet node did not start");

    public async Task InitializeAsync()
    {
        e2e = await EndToEndNode.StartAsync("--host-id", OwnHost, "--simulate-hosts", $"{SimHosts.Length}", "--simulate-faults", Faults);
        await WaitForHostsAsync();
    }

    /// <summary>Until the coordinator's registry has every host reachable (after a start, the hosts report within seconds).</summary>
    public Task WaitForHostsAsync() => Eventually.Until("every host registered and reachable", async () =>
    {
        using var http = E2e.Http();
        using var response = await http.GetAsync("api/v1/hosts");
        if (!response.IsSuccessStatusCode) return (false, $"GET hosts: {(int)response.StatusCode}");
        string text = await response.Content.ReadAsStringAsync();
        var hosts = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        bool all = SimHosts.Append(OwnHost).All(id => hosts.Any(h =>
            h.GetProperty("host_id").GetString() == id && h.GetProperty("reachability").GetString() == "reachable"
            && (id == OwnHost || h.GetProperty("volumes").GetArrayLength() > 0)));
        return (all, text);
    }, TimeSpan.FromSeconds(60));

    // ---------------------------------------------------------------- the CLI

    public EndToEndNode.Result Cli(params string[] args) => E2e.Cli(args);

    public EndToEndNode.Result Ok(params string[] args) => E2e.Ok(args);

    /// <summary>`fleetmerge ARGS` (which must include --json), its stdout parsed.</summary>
    public JsonElement Json(params string[] args) => JsonDocument.Parse(Ok(args).Stdout).RootElement.Clone();

    /// <summary>`campaign start ARGS`: the id it printed, and only that.</summary>
    public string Start(params string[] args)
    {
        var r = Ok(["campaign", "start", .. args]);
        string id = r.Stdout.TrimEnd('\n');
        Assert.Matches("^c[0-9]+$", id);
        return id;
    }

    /// <summary>`campaign status ID --watch` (the output is a pipe: one line per change) until the campaign is over.</summary>
    public EndToEndNode.Result Watch(string id) => Cli("campaign", "status", id, "--watch");

    /// <summary>Watches a campaign that must complete (exit 0).</summary>
    public JsonElement Completed(string id)
    {
        var watch = Watch(id);
        Assert.True(watch.ExitCode == 0 && watch.Stderr.Length == 0, $"{watch}\n{E2e.Node.Describe("node")}");
        var view = Campaign(id);
        Assert.Equal("completed", view.GetProperty("state").GetString());
        return view;
    }

    public JsonElement Campaign(string id) => Json("campaign", "status", id, "--json");

    public JsonElement Host(string id) => Json("host", "show", id, "--json");

    /// <summary>The campaign's hosts as host id → outcome.</summary>
    public static Dictionary<string, string> Outcomes(JsonElement campaign) =>
        campaign.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("host_id").GetString()!, h => h.GetProperty("outcome").GetString()!);

    public static JsonElement HostEntry(JsonElement campaign, string hostId) =>
        campaign.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("host_id").GetString() == hostId);

    /// <summary>Names of the host's volumes as the registry last heard them (lvs rows).</summary>
    public List<string> VolumeNames(string hostId) =>
        [.. Host(hostId).GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>
    /// `host list --json` until every host is idle, every simulated host has only its origin and
    /// no host is missing (each host reports after its last step: the registry may hear it just
    /// after the campaign ended).
    /// </summary>
    public Task EveryHostIdleWithItsOriginOnly() => Eventually.Until("every host idle with its origin only", () =>
    {
        var r = Ok("host", "list", "--json");
        var hosts = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList();
        bool ok = hosts.Select(h => h.GetProperty("host_id").GetString()).Order(StringComparer.Ordinal)
                .SequenceEqual(SimHosts.Append(OwnHost).Order(StringComparer.Ordinal))
            && hosts.All(h => h.GetProperty("state").GetString() == "idle" && h.GetProperty("reachability").GetString() == "reachable")
            && hosts.Where(h => h.GetProperty("simulated").GetBoolean())
                .All(h => h.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString()).SequenceEqual(["root"]));
        return (ok, r.Stdout);
    });

    // ---------------------------------------------------------------- the simulated disks

    public string SimDir(string hostId) => Path.Combine(E2e.DataDir, "sim", hostId, "vgs", "vg0");

    /// <summary>sha256 of every simulated host's origin image, DATA_DIR/sim/&lt;id&gt;/vgs/vg0/root.img.</summary>
    public Dictionary<string, string> OriginHashes() => SimHosts.ToDictionary(id => id, id =>
    {
        using var file = new FileStream(Path.Combine(SimDir(id), "root.img"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexString(SHA256.HashData(file));
    });

    /// <summary>Every COW store left on the simulated hosts, as "sim-0001/root-c3.cow".</summary>
    public List<string> CowFiles() =>
        [.. SimHosts.SelectMany(id => Directory.EnumerateFiles(SimDir(id), "*.cow").Select(f => $"{id}/{Path.GetFileName(f)}")).Order(StringComparer.Ordinal)];

    public async Task DisposeAsync()
    {
        if (e2e is null) return;
        try { await e2e.StopAsync(); }
        finally { await e2e.DisposeAsync(); }
    }
}

/// <summary>sim-0002's upgrade writes a BROKEN release: its health hook fails after an upgrade.</summary>
public sealed class BreakingFleet : FleetNode
{
    public const string Broken = "sim-0002";

    protected override string Faults => $"upgrade-breaks={Broken}";
}

/// <summary>sim-0003, sim-0004 and sim-0005 take 2 s longer for every step: campaigns on them are surely mid-way for a while.</summary>
public sealed class SlowFleet : FleetNode
{
    public static readonly TimeSpan Slowness = TimeSpan.FromSeconds(2);
    public static readonly string[] SlowHosts = ["sim-0003", "sim-0004", "sim-0005"];

    protected override string Faults => $"slow={string.Join(',', SlowHosts.Select(h => $"{h}:{Slowness.TotalSeconds:0}s"))}";
}
