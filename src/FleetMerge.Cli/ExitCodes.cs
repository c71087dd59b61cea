namespace FleetMerge.Cli;

/// <summary>Exit codes a script can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found problems (cow verify findings).</summary>
    public const int Findings = 1;

    /// <summary>The command line itself is wrong: unknown option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>The operation failed: bad or corrupt input file, I/O error, invalid snapshot, full COW.</summary>
    public const int Failed = 3;

    /// <summary>Stopped by SIGINT/SIGTERM before the end; running the same command resumes.</summary>
    public const int Interrupted = 130;
}
