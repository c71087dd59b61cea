namespace FleetMerge.Cli;

/// <summary>Exit codes a script can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found problems (cow verify findings).</summary>
    public const int Findings = 1;

    /// <summary>The command line itself is wrong: unknown option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The operation failed: bad or corrupt input file, I/O error, invalid snapshot, full COW; for
    /// the node palettes (`vg`, `lv`) also every refusal by the node's API (400 bad input, 404
    /// unknown volume or group, 409 merge rules or state, 5xx) and a merge that failed or stopped.
    /// </summary>
    public const int Failed = 3;

    /// <summary>
    /// `vg`/`lv`: the node refused the API token (401), or there is no token to send (the token
    /// file is missing, empty or unreadable). The message names the token source that was used.
    /// </summary>
    public const int AuthenticationFailed = 4;

    /// <summary>
    /// `vg`/`lv`: the node could not be reached at the `--node` URL (connection refused, unknown
    /// host, timed out, or the connection broke mid-request).
    /// </summary>
    public const int NodeUnreachable = 5;

    /// <summary>
    /// Stopped by SIGINT/SIGTERM before the end; running the same command resumes. For `lv merge`
    /// only the following stops: the merge itself goes on in the node.
    /// </summary>
    public const int Interrupted = 130;
}
