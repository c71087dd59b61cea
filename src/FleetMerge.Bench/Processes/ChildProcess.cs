using System.Diagnostics;

namespace FleetMerge.Bench.Processes;

/// <summary>What a finished child process left: exit code, output and its wall time from start to exit.</summary>
public sealed record ChildResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public ChildResult Ok() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{Command}: exit {ExitCode}: {Stderr.Trim()} {Stdout.Trim()}".Trim());
}

/// <summary>
/// Runs <c>dotnet DLL ARGS</c> to its exit with a clean FLEETMERGE_* environment, timing it from
/// just before the start to the exit (the time an operator waits for the command).
/// </summary>
public static class ChildProcess
{
    public static ChildResult Run(string dll, params string[] args)
    {
        var start = StartInfo(dll, args);
        start.Environment["NO_COLOR"] = "1";
        string command = $"{Path.GetFileNameWithoutExtension(dll)} {string.Join(' ', args)}";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command}: did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command}: still running after 10 minutes");
        }
        process.WaitForExit();
        var elapsed = clock.Elapsed;
        return new ChildResult(command, process.ExitCode, stdout.Result, stderr.Result, elapsed);
    }

    /// <summary>`fleetmerge ARGS`.</summary>
    public static ChildResult Cli(params string[] args) => Run(Binaries.CliDll, args);

    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Binaries.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        return start;
    }
}
