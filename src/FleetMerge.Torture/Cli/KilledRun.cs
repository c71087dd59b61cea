using System.Diagnostics;
using System.Globalization;
using FleetMerge.Bench.Processes;

namespace FleetMerge.Torture.Cli;

/// <summary>How a `fleetmerge` run that was to be SIGKILLed ended.</summary>
/// <param name="Killed">The signal landed (exit 137); false when the command had finished by itself before.</param>
/// <param name="Written">Bytes the process had written (its /proc io wchar) when last looked at.</param>
public sealed record KillResult(bool Killed, int ExitCode, string Stdout, string Stderr, long Written);

/// <summary>
/// When to kill: after <see cref="Delay"/> (from the start, or with <see cref="FromFirstWrite"/> from
/// the moment the process has written its first <see cref="FirstWriteBytes"/> bytes), or as soon as it
/// has written at least <see cref="WrittenBytes"/> bytes (its write(2) count in /proc/PID/io): a point
/// part way through the work however long the runtime's start-up takes on a loaded machine.
/// </summary>
public sealed record KillPoint(TimeSpan? Delay, long? WrittenBytes, bool FromFirstWrite = false)
{
    /// <summary>More than the runtime writes while it starts (a few bytes to its own pipes).</summary>
    public const long FirstWriteBytes = 4096;

    public override string ToString() =>
        Delay is { } d ? $"{d.TotalMilliseconds:F0} ms after {(FromFirstWrite ? "its first write" : "the start")}" : $"once {WrittenBytes} bytes are written";
}

/// <summary>
/// Runs `dotnet fleetmerge.dll ARGS` and SIGKILLs it at a <see cref="KillPoint"/>. The dotnet host
/// runs the app in its own process, so the signal hits the writer itself, as the OOM killer would.
/// </summary>
public static class KilledRun
{
    public static async Task<KillResult> RunAsync(KillPoint point, IReadOnlyList<string> args, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the torture runs on Linux");
        var start = ChildProcess.StartInfo(Binaries.CliDll, args);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("fleetmerge did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var (killed, written) = await Task.Run(() => Watch(process, point, cancel), cancel);
        using (var hang = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            hang.CancelAfter(TimeSpan.FromMinutes(5)); // a hang, not a slow run
            await process.WaitForExitAsync(hang.Token);
        }
        // A kill that raced with a normal exit is no kill: the exit code tells.
        return new KillResult(killed && process.ExitCode == 128 + 9, process.ExitCode, await stdout, await stderr, written);
    }

    /// <summary>Polls every millisecond; true when it sent the signal.</summary>
    private static (bool Killed, long Written) Watch(Process process, KillPoint point, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var since = point.FromFirstWrite ? null : clock;
        long written = 0;
        var limit = TimeSpan.FromMinutes(5);
        while (!process.HasExited && clock.Elapsed < limit)
        {
            cancel.ThrowIfCancellationRequested();
            written = Math.Max(written, WrittenBy(process.Id));
            if (since is null && written >= KillPoint.FirstWriteBytes) since = Stopwatch.StartNew();
            if ((point.Delay is { } d && since?.Elapsed >= d) || (point.WrittenBytes is { } w && written >= w))
            {
                try
                {
                    process.Kill();
                    return (true, written);
                }
                catch (InvalidOperationException) { return (false, written); } // it exited in between
            }
            Thread.Sleep(1);
        }
        return (false, written);
    }

    /// <summary>wchar of /proc/PID/io: bytes passed to write(2) and pwrite(2) so far; 0 once it is gone.</summary>
    public static long WrittenBy(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/io"))
                if (line.StartsWith("wchar:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
