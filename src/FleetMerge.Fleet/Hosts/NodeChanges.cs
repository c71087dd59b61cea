namespace FleetMerge.Fleet.Hosts;

// What the registry takes from Akka.Cluster's member events, by node address (Address.ToString(),
// as hosts put it in HostReport.Node). Tests and single-node setups without a cluster send these directly.

/// <summary>The failure detector lost the node.</summary>
internal sealed record NodeUnreachable(string Node);

/// <summary>The failure detector sees the node again.</summary>
internal sealed record NodeReachable(string Node);

/// <summary>The node left the cluster (downed or graceful).</summary>
internal sealed record NodeRemoved(string Node);

/// <summary>Timer: look for hosts that stopped reporting.</summary>
internal sealed record SweepSilentHosts
{
    public static readonly SweepSilentHosts Instance = new();
}
