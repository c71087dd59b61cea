using System.Diagnostics;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// SIGKILL of one node: half the time the one running the coordinator singleton (the campaign moves
/// to the next coordinator node), else another one at random (its ten hosts vanish with it); then,
/// after 0 to 15 s, the node starts again on its data directory and Akka port, as after a crash.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeKill : IDisruption
{
    public async Task<string> StrikeAndRecoverAsync(TortureCluster cluster, Random random, Action<string> log)
    {
        var coordinator = await cluster.CoordinatorNodeAsync();
        bool ofCoordinator = coordinator is not null && random.Next(2) == 0;
        var victim = ofCoordinator ? coordinator! : cluster.Nodes[random.Next(cluster.Nodes.Count)];
        var pause = TimeSpan.FromMilliseconds(random.Next(0, 15_000));
        string role = victim == coordinator ? "the coordinator's node" : "a host node";
        log($"SIGKILL of {victim.Name} ({role}); restart in {pause.TotalSeconds:F1} s");
        cluster.Killed(victim);
        await victim.KillAsync();
        await Task.Delay(pause);
        var clock = Stopwatch.StartNew();
        await victim.StartAsync();
        cluster.Restarted(victim);
        log($"{victim.Name} started again ({clock.Elapsed.TotalSeconds:F1} s to its ready line)");
        return $"SIGKILL of {victim.Name} ({role}), down {pause.TotalSeconds:F1} s";
    }
}
