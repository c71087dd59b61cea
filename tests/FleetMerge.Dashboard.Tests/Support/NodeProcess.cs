using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>
/// The real node as a child process (<c>dotnet fleetmerge-node.dll ARGS</c>, the project reference
/// copies it next to the tests), its output captured, stopped by SIGTERM. Its environment is
/// cleaned of FLEETMERGE_* so only the test's arguments count.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    private readonly Process process;
    private readonly List<string> output = [];
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleetmerge-node.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException(Describe("the node exited before it was ready"))); return; }
            Keep($"out: {e.Data}");
            if (ReadyLine().Match(e.Data) is { Success: true } m) ready.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Keep($"err: {e.Data}"); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"^fleetmerge-node ready: api (http://\S+) ")]
    private static partial Regex ReadyLine();

    public static NodeProcess Start(IEnumerable<string> args) => new(args);

    /// <summary>The API's base address from the node's ready line.</summary>
    public async Task<string> WaitForReadyAsync()
    {
        try { return await ready.Task.WaitAsync(TimeSpan.FromSeconds(90)); }
        catch (TimeoutException) { throw new TimeoutException(Describe("no ready line in time")); }
    }

    public string Describe(string what)
    {
        lock (output) return $"{what}\n--- node output (last 40 lines):\n{string.Join('\n', output.TakeLast(40))}";
    }

    private void Keep(string line)
    {
        lock (output)
        {
            output.Add(line);
            if (output.Count > 2000) output.RemoveRange(0, 1000);
        }
    }

    /// <summary>SIGTERM, and a clean exit (0) within a generous while; a node that hangs is killed and reported.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, SIGTERM);
            try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw new InvalidOperationException(Describe("the node did not stop within 30 s of SIGTERM"));
            }
        }
        process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
