using System.Globalization;
using FleetMerge.Bench.Processes;

namespace FleetMerge.Torture.Cli;

/// <summary>What a `fleetmerge` run that ended by itself left.</summary>
public sealed record CliResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public CliResult Ok() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{Command}: exit {ExitCode}: {Fleetmerge.OneLine(Stderr + " " + Stdout)}");
}

/// <summary>The real `fleetmerge cow …` commands a trial runs to completion, and the checks made with them.</summary>
public static class Fleetmerge
{
    /// <summary>Linux only, as the bench's process helpers this runs them with (kill(2), /proc).</summary>
    public static CliResult Run(params string[] args)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the torture runs on Linux");
        var r = ChildProcess.Cli(args);
        return new CliResult(r.Command, r.ExitCode, r.Stdout, r.Stderr);
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>`cow read` of a snapshot's view, as bytes (the output file is removed).</summary>
    public static byte[] ReadView(string origin, string cow, string output)
    {
        Run("cow", "read", "--origin", origin, "--cow", cow, "--out", output).Ok();
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }

    public static string OneLine(string text) => text.Trim().ReplaceLineEndings(" | ");
}
