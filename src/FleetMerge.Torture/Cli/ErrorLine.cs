namespace FleetMerge.Torture.Cli;

/// <summary>What a failed command must print: one line, naming the problem, no stack trace.</summary>
public static class ErrorLine
{
    /// <summary>Null when stderr is one "fleetmerge: …" line that says the disk is full; else what is wrong with it.</summary>
    public static string? DiskFull(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 1) return $"{lines.Length} lines on stderr instead of one: {Fleetmerge.OneLine(stderr)}";
        string line = lines[0];
        if (line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || line.Contains("   at ", StringComparison.Ordinal))
            return $"a crash, not an error line: {line}";
        if (!line.StartsWith("fleetmerge: ", StringComparison.Ordinal)) return $"the error line does not start with 'fleetmerge: ': {line}";
        if (!line.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
            return $"the error line does not say the disk is full: {line}";
        return null;
    }
}
