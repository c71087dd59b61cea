namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>How a hook process ended: its exit code and the last non-empty line it wrote (stdout or stderr), if any.</summary>
public sealed record HookResult(int ExitCode, string? LastLine);
