using FleetMerge.Protocol.Host;
using FleetMerge.Torture.Harness;
using FleetMerge.Torture.Node;

namespace FleetMerge.Torture.Api;

/// <summary>
/// api-abuse: one real node for the whole scenario; each trial sends a random mix of abusive requests
/// (wrong tokens, bad bodies and names, oversized bodies, unknown ids, wrong methods, racing
/// conflicting requests) and checks each exact status and one-line error, then that the node holds
/// exactly what the model says was accepted and that no caller's name ran as a shell command.
/// </summary>
public sealed class ApiAbuseScenario : IScenario
{
    /// <summary>Small enough that over-the-limit bodies cost little per trial; the same mechanism as the default 64M.</summary>
    public const long MaxBody = 8L << 20;

    /// <summary>Slow enough that a merge of a few MiB is still running when the racing request arrives.</summary>
    public const string MergeRate = "4M";

    private readonly AbuseModel model = new();
    private NodeHandle? node;
    private string canaryDir = "";

    public string Name => "api-abuse";

    public string Description => "abusive and racing requests against a real node's API: exact status and one-line error, state as the model says, nothing run by a shell";

    public ScenarioScale Scale => ScenarioScale.Cluster;

    public int MaxParallel => 1;

    public async Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the node runs on Linux only");
        // The canary's directory exists, so a `touch` that some code ran would succeed and show.
        canaryDir = Path.Combine(Path.GetTempPath(), $"fleetmerge-canary-{context.Seed}");
        Directory.CreateDirectory(canaryDir);
        // A fresh node: a work directory kept from a failed run still holds the old node's groups.
        string nodeData = Path.Combine(context.Dir, "node-data");
        if (Directory.Exists(nodeData)) Directory.Delete(nodeData, recursive: true);
        node = new NodeHandle(nodeData, ["--max-body", $"{MaxBody}"]);
        await node.StartAsync(MergeRate);
        context.Progress($"node up on {node.DataDir}");
    }

    public async Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows() || node is null) throw new InvalidOperationException("set-up did not run");
        string vg = $"a{trial.Number}";
        await SetUpGroupAsync(node, vg);
        var c = new AbuseContext(node.Api, trial.Random, model, vg, Path.Combine(canaryDir, "pwned"), trial.Log);
        var cases = Catalog();
        for (int i = trial.Random.Next(4, 9); i > 0; i--)
        {
            var abuse = cases[trial.Random.Next(cases.Count)];
            trial.Log($"case {abuse.Name}");
            if (await abuse.RunAsync(c) is { } wrong) return TrialOutcome.Failure($"{abuse.Name}: {wrong}");
        }
        return await CheckStateAsync(node, c) is { } state ? TrialOutcome.Failure(state) : TrialOutcome.Passed;
    }

    public static IReadOnlyList<AbuseCase> Catalog() =>
    [
        AuthAbuse.Case, BodyAbuse.Case, NameAbuse.Case, UnknownAbuse.Case, MethodAbuse.Case, OversizeAbuse.Case(MaxBody), RaceAbuse.Case, RaceAbuse.Case,
    ];

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task SetUpGroupAsync(NodeHandle node, string vg)
    {
        await node.Api.CreateVgAsync(vg);
        model.AddGroup(vg);
        await node.Api.CreateLvAsync(vg, AbuseContext.Base, 1 << 20);
        model.AddVolume(vg, AbuseContext.Base);
        VolumeCalls.Expect(await node.Api.SnapshotAsync(vg, AbuseContext.Base, AbuseContext.BaseSnapshot, 1 << 20, 4096), 201, "snapshot bases");
        model.AddVolume(vg, AbuseContext.BaseSnapshot, AbuseContext.Base);
    }

    /// <summary>The node's groups and volumes are exactly the model's; no canary; nothing outside the group directories.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<string?> CheckStateAsync(NodeHandle node, AbuseContext c)
    {
        var vgs = await node.Api.GetAsync("vgs");
        if (vgs.Status != 200) return $"GET vgs after the trial: {vgs}";
        var groups = vgs.Json<List<VgInfo>>().Select(g => g.Name).ToList();
        if (AbuseModel.Difference([.. model.Groups], groups, "volume groups") is { } groupDifference)
        {
            model.AdoptGroups(groups);
            return groupDifference;
        }
        var lvs = await node.Api.GetAsync($"lvs?vg={c.Vg}");
        if (lvs.Status != 200) return $"GET lvs of {c.Vg} after the trial: {lvs}";
        var rows = lvs.Json<List<LvRow>>().Select(r => AbuseModel.Row(r.Vg, r.Name, r.Origin)).ToList();
        if (AbuseModel.Difference(model.Rows(c.Vg), rows, $"volumes of {c.Vg}") is { } volumeDifference) return volumeDifference;
        if (File.Exists(c.Canary) || Directory.EnumerateFileSystemEntries(canaryDir).Any())
            return $"a caller's name ran as a shell command: {canaryDir} is not empty";
        var stray = Directory.EnumerateFileSystemEntries(node.DataDir, "*", SearchOption.AllDirectories)
            .FirstOrDefault(p => p.Contains("escape", StringComparison.Ordinal) || p.Contains("touch", StringComparison.Ordinal));
        return stray is null ? null : $"a file named by a caller's bad name exists: {stray}";
    }

    public async Task TearDownAsync(ScenarioContext context)
    {
        if (!OperatingSystem.IsWindows() && node is not null) await node.DisposeAsync();
        try { if (canaryDir.Length > 0 && Directory.Exists(canaryDir) && !Directory.EnumerateFileSystemEntries(canaryDir).Any()) Directory.Delete(canaryDir); }
        catch (IOException) { }
    }
}
