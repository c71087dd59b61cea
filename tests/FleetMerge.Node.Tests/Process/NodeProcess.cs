using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>
/// The real node as a child process: <c>dotnet fleetmerge-node.dll ARGS</c>, stdout and stderr
/// captured line by line, stopped with real signals. The node's environment is cleaned of
/// FLEETMERGE_* variables so only what a test passes reaches it.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    private readonly System.Diagnostics.Process process;
    private readonly List<string> stdout = [];
    private readonly List<string> stderr = [];
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>fleetmerge-node.dll next to the tests (the project reference copies it), or FLEETMERGE_NODE_DLL.</summary>
    public static string NodeDll =>
        Environment.GetEnvironmentVariable("FLEETMERGE_NODE_DLL") is { Length: > 0 } dll ? dll : Path.Combine(AppContext.BaseDirectory, "fleetmerge-node.dll");

    private NodeProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(NodeDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;

        process = new System.Diagnostics.Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { stdoutClosed.TrySetResult(); ready.TrySetException(new InvalidOperationException(Describe("the node exited before it was ready"))); return; }
            lock (stdout) stdout.Add(e.Data);
            if (ReadyLine().Match(e.Data) is { Success: true } m) ready.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { stderrClosed.TrySetResult(); return; }
            lock (stderr) stderr.Add(e.Data);
        };
        Started = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"^fleetmerge-node ready: api (http://\S+) data (\S.*) persistence (sqlite|postgres)$")]
    private static partial Regex ReadyLine();

    public static NodeProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) => new(args, environment);

    /// <summary>Starts a node on <paramref name="dataDir"/> with a free API port.</summary>
    public static NodeProcess StartOn(string dataDir, params string[] more) => Start(["--data-dir", dataDir, "--api-port", "0", .. more]);

    public Stopwatch Started { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public IReadOnlyList<string> Stdout { get { lock (stdout) return [.. stdout]; } }

    public IReadOnlyList<string> Stderr { get { lock (stderr) return [.. stderr]; } }

    /// <summary>Waits for the ready line; returns the API base address from it.</summary>
    public async Task<string> WaitForReadyAsync(TimeSpan? timeout = null)
    {
        try { return await ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(45)); }
        catch (TimeoutException) { throw new TimeoutException(Describe("no ready line in time")); }
    }

    /// <summary>Waits for the exit and for both streams to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(stdoutClosed.Task, stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) { throw new TimeoutException(Describe($"still running after {timeout.TotalSeconds:0} s")); }
        return process.ExitCode;
    }

    public void Signal(int signal)
    {
        if (Kill(process.Id, signal) != 0 && !process.HasExited)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>An HttpClient for the node's API, with the token when one is given.</summary>
    public static HttpClient Client(string api, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public string Describe(string what)
    {
        string exit;
        try { exit = process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-"; }
        catch (InvalidOperationException) { exit = "?"; }
        return $"{what}; exit {exit}\n--- stdout:\n{string.Join('\n', Stdout)}\n--- stderr (last 40 lines):\n{string.Join('\n', Stderr.TakeLast(40))}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                Signal(SIGTERM);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
