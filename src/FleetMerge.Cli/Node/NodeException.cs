namespace FleetMerge.Cli.Node;

/// <summary>
/// A failure talking to the node, already phrased for the operator: one line, and the exit code
/// it stands for (<see cref="ExitCodes.Failed"/>, <see cref="ExitCodes.AuthenticationFailed"/>,
/// <see cref="ExitCodes.NodeUnreachable"/>, <see cref="ExitCodes.Usage"/>).
/// </summary>
public sealed class NodeException(string message, int exitCode, int? status = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The HTTP status that caused it, when the node answered.</summary>
    public int? Status { get; } = status;
}
