namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// The hooks a host can be asked to run. Each is a named command in the host's own configuration
/// (DATA_DIR/hooks.json on a real host; built in, with fault injection, on a simulated host).
/// </summary>
public static class HookNames
{
    public const string Upgrade = "upgrade";
    public const string Health = "health";
    public const string Reboot = "reboot";

    public static readonly IReadOnlyList<string> All = [Upgrade, Health, Reboot];
}
