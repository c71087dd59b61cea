namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>hooks.json cannot be used; the message is one line naming the file and the problem.</summary>
public sealed class HookConfigException(string message, Exception? inner = null) : Exception(message, inner);
