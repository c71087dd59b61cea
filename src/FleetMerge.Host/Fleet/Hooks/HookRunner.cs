using System.ComponentModel;
using System.Diagnostics;

namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>
/// Runs a hook as a child process: the program with its argument list (never a shell, never a
/// command line to split), stdin closed, stdout and stderr read to the end. The step's detail gets
/// one line: the last non-empty line of stderr when the hook failed, of stdout when it succeeded,
/// else of the other stream (two pipes have no order between them, so "the last line of both" would
/// be a race). Cancelling kills the whole process tree.
/// </summary>
public static class HookRunner
{
    /// <summary>After the hook exits, how long a descendant that kept its output open may delay the result.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    private const int MaxLineLength = 300;

    /// <exception cref="HookConfigException">The program cannot be started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the process tree was killed.</exception>
    public static async Task<HookResult> RunAsync(string name, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var stdout = new LastLine();
        var stderr = new LastLine();
        var stdoutDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data is null) stdoutDone.TrySetResult(); else stdout.See(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) stderrDone.TrySetResult(); else stderr.See(e.Data); };
        process.Exited += (_, _) => exited.TrySetResult();
        try { process.Start(); }
        catch (Win32Exception e)
        {
            throw new HookConfigException($"{name} hook: cannot start {command[0]}: {e.Message}", e);
        }
        try { process.StandardInput.Close(); } // a hook that reads stdin sees its end at once
        catch (IOException) { /* it exited already */ }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await exited.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            throw;
        }
        // The exit code is known; the output may still be draining (or held open by a descendant).
        await Task.WhenAny(Task.WhenAll(stdoutDone.Task, stderrDone.Task), Task.Delay(OutputGrace, CancellationToken.None));
        int exit = process.ExitCode;
        return new HookResult(exit, exit == 0 ? stdout.Value ?? stderr.Value : stderr.Value ?? stdout.Value);
    }

    private static void KillTree(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* exited meanwhile */ }
        catch (Win32Exception) { /* exited meanwhile, or a descendant went first */ }
        try { process.WaitForExit(TimeSpan.FromSeconds(5)); }
        catch (InvalidOperationException) { }
    }

    /// <summary>The last non-empty line seen on a stream (read on a thread of the process's).</summary>
    private sealed class LastLine
    {
        private readonly Lock gate = new();
        private string? value;

        public string? Value { get { lock (gate) return value; } }

        public void See(string line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0) return;
            if (trimmed.Length > MaxLineLength) trimmed = trimmed[..MaxLineLength] + "…";
            lock (gate) value = trimmed;
        }
    }
}
