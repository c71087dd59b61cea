namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// <see cref="ThreeNodeCluster"/> with simulated hosts on node2 (sim-0001 … sim-0006) and node3
/// (sim-0007 … sim-0012), each step of each host a second slower, so a campaign runs long enough to
/// lose its coordinator halfway. node1, the oldest coordinator node and so the singleton's, has none:
/// its crash takes the coordinator and no host.
/// </summary>
public sealed class FailoverCluster : ThreeNodeCluster
{
    public const int HostsPerNode = 6;

    public static IReadOnlyList<string> SimulatedOn(int node) =>
        node == 0 ? [] : [.. Enumerable.Range((node - 1) * HostsPerNode + 1, HostsPerNode).Select(n => $"sim-{n:0000}")];

    protected override IEnumerable<string> NodeOptions(int i) => i == 0
        ? []
        : ["--simulate-hosts", $"{HostsPerNode}", "--simulate-first", $"{(i - 1) * HostsPerNode + 1}", "--simulate-faults", "slow=100%:1s"];
}
