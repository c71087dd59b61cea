using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Node;

/// <summary>
/// node-merge-kill: merges run by a real fleetmerge-node, SIGKILLed before, during or after the copy
/// (sometimes twice); the restarted node resumes the merge by itself and every volume must equal the
/// model. One node on one data directory serves every trial (a volume group each), restarted by the kills.
/// </summary>
public sealed class NodeMergeKillScenario : IScenario
{
    private NodeHandle? node;


    public string Name => "node-merge-kill";

    public string Description => "merge through a real node, SIGKILL at a random instant, restart: the merge resumes and the origin equals the snapshot's view";

    public ScenarioScale Scale => ScenarioScale.Cluster;

    public int MaxParallel => 1;

    public async Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the node runs on Linux only");
        // A fresh node: a work directory kept from a failed run still holds the old node's groups.
        string nodeData = Path.Combine(context.Dir, "node-data");
        if (Directory.Exists(nodeData)) Directory.Delete(nodeData, recursive: true);
        node = new NodeHandle(nodeData);
        await node.StartAsync(null);
        context.Progress($"node up on {node.DataDir}");
    }

    public Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows() || node is null) throw new InvalidOperationException("set-up did not run");
        return new MergeKillTrial(node, trial, MergeKillPlan.Draw(trial.Random)).RunAsync(cancel);
    }

    public async Task TearDownAsync(ScenarioContext context)
    {
        if (!OperatingSystem.IsWindows() && node is not null) await node.DisposeAsync();
    }
}
