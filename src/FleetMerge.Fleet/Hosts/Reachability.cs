namespace FleetMerge.Fleet.Hosts;

/// <summary>How the registry can reach a host (HostView.Reachability).</summary>
public static class Reachability
{
    /// <summary>Its node is reachable and it reports on time: steps are delivered.</summary>
    public const string Reachable = "reachable";

    /// <summary>Its node is unreachable, or it missed heartbeats: steps are dropped until it is back.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>Its agent stopped (HostLeaving or death watch) or its node was removed: only a new incarnation brings it back.</summary>
    public const string Left = "left";
}
