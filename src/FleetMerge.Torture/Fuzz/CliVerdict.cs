namespace FleetMerge.Torture.Fuzz;

/// <summary>
/// How a `cow` command must answer any input, however damaged: exit 0 with output, or a non-zero exit
/// with exactly one line on stderr, "fleetmerge: " and a message; never a hang, an unhandled exception or a
/// stack trace. `cow verify` may also exit 1 with its findings on stdout.
/// </summary>
public static class CliVerdict
{
    public const string Prefix = "fleetmerge: ";

    /// <summary>Null when the call answered as it must.</summary>
    public static string? Problem(CliCall call, bool findingsExit = false)
    {
        if (call.ExitCode is not int exit)
            return $"{call.Command}: hung (still running after {CliCall.Timeout.TotalSeconds:F0} s, killed)";
        string all = call.Stderr + call.Stdout;
        if (all.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || all.Split('\n').Any(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && l.Contains('(')))
            return $"{call.Command}: crashed with a stack trace: {FirstLine(call.Stderr)}";
        switch (exit)
        {
            case 0:
                return call.Stdout.Trim().Length == 0 ? $"{call.Command}: exit 0 without output" : null;
            case 1 when findingsExit:
                if (call.Stdout.Trim().Length == 0) return $"{call.Command}: exit 1 (findings) but no finding on stdout";
                return call.Stderr.Trim().Length > 0 ? $"{call.Command}: exit 1 (findings) with stderr: {FirstLine(call.Stderr)}" : null;
            case 3:
                var lines = call.StderrLines;
                if (lines.Length != 1) return $"{call.Command}: exit 3 with {lines.Length} stderr lines (want one): {FirstLine(call.Stderr)}";
                if (!lines[0].StartsWith(Prefix, StringComparison.Ordinal) || lines[0].Length < Prefix.Length + 4)
                    return $"{call.Command}: exit 3 with a line that does not name a problem: '{lines[0]}'";
                return null;
            default:
                return $"{call.Command}: exit {exit} (a damaged file is exit 3{(findingsExit ? ", findings exit 1" : "")}; 2 is a bad command line): {FirstLine(call.Stderr)}";
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(nothing)";
}
