using System.Diagnostics;
using System.Text;

namespace FleetMerge.Cli.Tests.Crash;

/// <summary>
/// A running `fleetmerge` child process that can be killed (SIGKILL) or signalled (SIGINT/SIGTERM
/// via /bin/kill) at any moment; stdout and stderr are collected line by line.
/// </summary>
public sealed class CliChild : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly object sync = new();
    private int stderrLines;

    private CliChild(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }
    public int Pid => process.Id;
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public static CliChild Start(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(CliProcess.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var child = new CliChild(process, "fleetmerge " + string.Join(' ', args));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child.sync) child.stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (child.sync)
            {
                child.stderr.AppendLine(e.Data);
                child.stderrLines++;
                Monitor.PulseAll(child.sync);
            }
        };
        process.Start();
        child.Clock.Restart();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits until stderr has at least <paramref name="lines"/> lines or the process ended; true when the lines came.</summary>
    public bool WaitForStderrLines(int lines, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        lock (sync)
        {
            while (stderrLines < lines)
            {
                if (process.HasExited || deadline.Elapsed >= timeout) return stderrLines >= lines;
                Monitor.Wait(sync, 20);
            }
            return true;
        }
    }

    /// <summary>SIGKILL (Process.Kill on Linux), then waits for the process to be gone. False if it had already exited by itself.</summary>
    public bool KillHard()
    {
        bool killed = false;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                killed = true;
            }
        }
        catch (InvalidOperationException) { } // exited in between
        catch (System.ComponentModel.Win32Exception) { }
        process.WaitForExit();
        // It may have finished on its own just before the signal landed.
        return killed && process.ExitCode == 128 + 9;
    }

    /// <summary>Sends a signal by name (INT, TERM) with /bin/kill: Process has no API for SIGINT.</summary>
    public void Signal(string name)
    {
        var psi = new ProcessStartInfo("/bin/kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-" + name);
        psi.ArgumentList.Add(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(psi)!;
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{CommandLine} did not finish within {timeout.TotalSeconds:F0}s");
        }
        process.WaitForExit(); // drains the redirected streams
        return process.ExitCode;
    }

    public string Stdout { get { lock (sync) return stdout.ToString(); } }
    public string Stderr { get { lock (sync) return stderr.ToString(); } }

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
