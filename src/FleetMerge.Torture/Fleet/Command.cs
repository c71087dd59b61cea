using System.Diagnostics;

namespace FleetMerge.Torture.Fleet;

/// <summary>Runs a program (no shell) to its end and fails with one line naming it when it exits non-zero.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class Command
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        string line = $"{Path.GetFileName(program)} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{line}: did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{line}: still running after {(limit ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{line}: exit {process.ExitCode}: {(await stderr).Trim().ReplaceLineEndings(" ")}");
        return await stdout;
    }
}
