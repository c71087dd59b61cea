using System.Text.Json;
using FleetMerge.Node.Tests.EndToEnd;
using FleetMerge.Node.Tests.Fleet;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// One real node with its own host and three simulated hosts (sim-0002's upgrade breaks its health
/// hook), on which the fixture runs, once, what the observability tests then look at: a snapshot
/// campaign with upgrade and health hooks and a failure budget of 1 (sim-0002 fails its health
/// step, the campaign completes), then a rollback of it on all three hosts (a merge on each).
/// </summary>
public sealed class CampaignNode : IAsyncLifetime
{
    public const string OwnHost = "obs-node";
    public const string Broken = "sim-0002";
    public static readonly string[] SimHosts = ["sim-0001", "sim-0002", "sim-0003"];

    private EndToEndNode? e2e;

    public EndToEndNode E2e => e2e ?? throw new InvalidOperationException("the node did not start");

    /// <summary>The snapshot campaign's id and its final view (campaign status --json).</summary>
    public string Snapshot { get; private set; } = "";
    public JsonElement SnapshotView { get; private set; }

    public string Rollback { get; private set; } = "";
    public JsonElement RollbackView { get; private set; }

    /// <summary>A scrape before the first campaign, with every host registered.</summary>
    public Scrape BeforeCampaigns { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        e2e = await EndToEndNode.StartAsync("--host-id", OwnHost, "--simulate-hosts", $"{SimHosts.Length}", "--simulate-faults", $"upgrade-breaks={Broken}");
        await Eventually.Until("every host registered, reachable and idle", async () =>
        {
            BeforeCampaigns = await MetricsEndpoint.ScrapeAsync(E2e);
            return (BeforeCampaigns.Value("fleetmerge_hosts", "reachability=reachable", "state=idle") == SimHosts.Length + 1, BeforeCampaigns.ToString());
        }, TimeSpan.FromSeconds(60));

        Snapshot = Start("snapshot", "--hosts", "env=sim", "--volumes", "vg0/root", "--size", "50%", "--upgrade", "--health", "--failure-budget", "1");
        SnapshotView = Watch(Snapshot);
        Rollback = Start("rollback", "--of", Snapshot);
        RollbackView = Watch(Rollback);
    }

    private string Start(params string[] args)
    {
        string id = E2e.Ok(["campaign", "start", .. args]).Stdout.TrimEnd('\n');
        Assert.Matches("^c[0-9]+$", id);
        return id;
    }

    /// <summary>Until the campaign is over (exit 0 completed, 3 otherwise), then its view.</summary>
    private JsonElement Watch(string id)
    {
        var watch = E2e.Cli("campaign", "status", id, "--watch");
        Assert.True(watch.ExitCode is 0 or 3, $"{watch}\n{E2e.Node.Describe("node")}");
        return JsonDocument.Parse(E2e.Ok("campaign", "status", id, "--json").Stdout).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (e2e is null) return;
        try { await e2e.StopAsync(); }
        finally { await e2e.DisposeAsync(); }
    }
}
