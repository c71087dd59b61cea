using System.Diagnostics;
using FleetMerge.Bench.Processes;

namespace FleetMerge.Torture.Fuzz;

/// <summary>What one real `fleetmerge` process did: exit code (null when it hung and was killed), output.</summary>
public sealed record CliCall(string Command, int? ExitCode, string Stdout, string Stderr)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Runs the CLI to its exit or for at most <see cref="Timeout"/> (then it is killed: a hang). The bench's
    /// ChildProcess allows 10 minutes; a fuzz input must be dealt with in far less.
    /// </summary>
    public static async Task<CliCall> RunAsync(CancellationToken cancel, params string[] args)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the bench's process helpers are POSIX-only");
        var start = ChildProcess.StartInfo(Binaries.CliDll, args);
        start.Environment["NO_COLOR"] = "1";
        string command = $"fleetmerge {string.Join(' ', args)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command}: did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancel.ThrowIfCancellationRequested();
            return new CliCall(command, null, await stdout, await stderr);
        }
        return new CliCall(command, process.ExitCode, await stdout, await stderr);
    }
}
