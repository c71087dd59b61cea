using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FleetMerge.Bench.Processes;

/// <summary>
/// A real <c>fleetmerge-node</c> child process on a data directory with a free API port: the time
/// from just before the start to its ready line on stdout, stopped with SIGTERM (as an operator or
/// systemd stops it). Its logs (stderr) are kept for the error message if it fails.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    private readonly Process process;
    private readonly List<string> stderr = [];
    private readonly List<string> watched = [];
    private readonly IReadOnlyList<string> watchFor;
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch clock = new();

    private NodeProcess(string dataDir, IReadOnlyList<string> options, IReadOnlyList<string> watchFor)
    {
        DataDir = dataDir;
        this.watchFor = watchFor;
        process = new Process { StartInfo = ChildProcess.StartInfo(Binaries.NodeDll, ["--data-dir", dataDir, "--api-port", "0", .. options]) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException(Describe("the node exited before its ready line"))); return; }
            if (ReadyLine().Match(e.Data) is { Success: true } m)
            {
                ReadyAfter = clock.Elapsed;
                ready.TrySetResult(m.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) { stderr.Add(e.Data); if (stderr.Count > 200) stderr.RemoveAt(0); }
            if (watchFor.Any(w => e.Data.Contains(w, StringComparison.Ordinal)))
                lock (watched) { watched.Add(e.Data); if (watched.Count > 1000) watched.RemoveAt(0); }
        };
        clock.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"^fleetmerge-node ready: api (http://\S+) data ")]
    private static partial Regex ReadyLine();

    public string DataDir { get; }

    public string TokenFile => Path.Combine(DataDir, "api-token");

    /// <summary>From just before the process start to the ready line (set once ready).</summary>
    public TimeSpan ReadyAfter { get; private set; }

    /// <summary>The node's own process (the dotnet host runs it in place): for /proc/PID/status and signals.</summary>
    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The log lines (stderr) that contained one of the strings given at the start, oldest first.</summary>
    public IReadOnlyList<string> Watched
    {
        get { lock (watched) return [.. watched]; }
    }

    /// <summary>Starts a node and waits for its ready line; returns it with its API address.</summary>
    public static Task<(NodeProcess Node, string Api)> StartAsync(string dataDir) => StartAsync(dataDir, []);

    /// <summary>
    /// As <see cref="StartAsync(string)"/> with more node options (cluster, simulated hosts, …);
    /// log lines containing one of <paramref name="watchFor"/> are kept in <see cref="Watched"/>.
    /// </summary>
    public static async Task<(NodeProcess Node, string Api)> StartAsync(string dataDir, IReadOnlyList<string> options, IReadOnlyList<string>? watchFor = null)
    {
        var node = new NodeProcess(dataDir, options, watchFor ?? []);
        try
        {
            string api = await node.ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
            return (node, api);
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException(node.Describe("no ready line within 90 s"));
        }
        catch (InvalidOperationException)
        {
            // It exited before its ready line; the exception already holds its last log lines.
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (a crash: no leave, no hand-over), then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the exit (a clean stop is exit 0).</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited) Kill(process.Id, SIGTERM);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(Describe("still running 60 s after SIGTERM"));
        }
        if (process.ExitCode != 0) throw new InvalidOperationException(Describe($"exit {process.ExitCode} after SIGTERM"));
    }

    public string Describe(string what)
    {
        lock (stderr) return $"fleetmerge-node on {DataDir}: {what}; last log lines:\n{string.Join('\n', stderr.TakeLast(20))}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try { await StopAsync(); }
            catch (Exception) { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
