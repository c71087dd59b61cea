namespace FleetMerge.Node.Settings;

/// <summary>The cluster roles a node can have (<c>--roles</c>); a node has all three by default.</summary>
public static class NodeRoles
{
    /// <summary>Runs the host agent and its volume actors (this machine's volumes, simulated hosts).</summary>
    public const string Host = "host";

    /// <summary>May run the coordinator singleton: the oldest Up member with this role runs it.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Serves the HTTP API and the dashboard.</summary>
    public const string Api = "api";
}
