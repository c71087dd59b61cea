namespace FleetMerge.Node.Startup;

/// <summary>The node cannot start: one line on stderr naming the problem, exit code 3.</summary>
public sealed class NodeStartupException(string message, Exception? inner = null) : Exception(message, inner);
