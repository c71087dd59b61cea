using System.Diagnostics;
using System.Text.Json;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Node.Tests.Process;

namespace FleetMerge.Node.Tests.EndToEnd;

/// <summary>
/// A real node on a data directory of its own (SQLite, 127.0.0.1, a free port), driven by the real
/// `fleetmerge` CLI as child processes (<c>--node URL --token-file DATA_DIR/api-token</c>, clean
/// FLEETMERGE_* environment). The node can be SIGKILLed and started again on the same directory.
/// </summary>
public sealed class EndToEndNode : IAsyncDisposable
{
    private readonly TempDir data = new("fleetmerge-e2e-data");
    private readonly TempDir work = new("fleetmerge-e2e-work");
    private readonly string[] nodeArgs;

    private EndToEndNode(string[] nodeArgs) => this.nodeArgs = nodeArgs;

    public NodeProcess Node { get; private set; } = null!;
    public string Api { get; private set; } = "";
    public string DataDir => data.Path;
    public string TokenFile => Path.Combine(data.Path, "api-token");
    public string Token => File.ReadAllText(TokenFile).Trim();

    /// <summary>fleetmerge.dll next to the tests (the project reference to FleetMerge.Cli copies it), or FLEETMERGE_CLI_DLL.</summary>
    public static string CliDll =>
        Environment.GetEnvironmentVariable("FLEETMERGE_CLI_DLL") is { Length: > 0 } dll ? dll : Path.Combine(AppContext.BaseDirectory, "fleetmerge.dll");

    public static async Task<EndToEndNode> StartAsync(params string[] nodeArgs)
    {
        var node = new EndToEndNode(nodeArgs);
        await node.StartNodeAsync();
        return node;
    }

    /// <summary>A file in the test's scratch directory (not the data directory).</summary>
    public string ScratchFile(string name) => Path.Combine(work.Path, name);

    public string WriteFile(string name, byte[] bytes)
    {
        string path = ScratchFile(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task StartNodeAsync()
    {
        Node = NodeProcess.StartOn(data.Path, nodeArgs);
        Api = await Node.WaitForReadyAsync();
    }

    /// <summary>SIGKILL: no shutdown of any kind, as a power cut of the process.</summary>
    public async Task KillAsync()
    {
        Node.Signal(NodeProcess.SIGKILL);
        int code = await Node.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == 128 + NodeProcess.SIGKILL || code == -1 || code == 137, Node.Describe($"unexpected exit code {code} after SIGKILL"));
        await Node.DisposeAsync();
    }

    /// <summary>Starts the node again on the same data directory (a start activates every group).</summary>
    public Task RestartAsync() => StartNodeAsync();

    /// <summary>SIGTERM, and the stop must be clean (exit 0).</summary>
    public async Task StopAsync()
    {
        if (!Node.HasExited) Node.Signal(NodeProcess.SIGTERM);
        int code = await Node.WaitForExitAsync(TimeSpan.FromSeconds(20));
        string description = Node.Describe("the node did not stop cleanly");
        await Node.DisposeAsync();
        Assert.True(code == 0, description);
    }

    public HttpClient Http() => NodeProcess.Client(Api, Token);

    /// <summary>`fleetmerge ARGS --node API --token-file DATA_DIR/api-token`.</summary>
    public Result Cli(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = work.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["NO_COLOR"] = "1";
        psi.ArgumentList.Add(CliDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--node");
        psi.ArgumentList.Add(Api);
        psi.ArgumentList.Add("--token-file");
        psi.ArgumentList.Add(TokenFile);
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fleetmerge {string.Join(' ', args)} did not finish");
        }
        return new Result(string.Join(' ', args), process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the CLI and expects exit 0 with nothing on stderr.</summary>
    public Result Ok(params string[] args)
    {
        var r = Cli(args);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"{r}\n{Node.Describe("node")}");
        return r;
    }

    /// <summary>`lv list VG --json` as rows.</summary>
    public List<JsonElement> Lvs(string vg)
    {
        var r = Ok("lv", "list", vg, "--json");
        return [.. JsonDocument.Parse(r.Stdout).RootElement.Clone().EnumerateArray()];
    }

    /// <summary>`lv read VG/LV --out FILE`, the bytes.</summary>
    public byte[] Read(string vgLv)
    {
        string path = ScratchFile($"read-{Guid.NewGuid():N}.bin");
        Ok("lv", "read", vgLv, "--out", path);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>`lv write VG/LV --offset N --in FILE`.</summary>
    public void Write(string vgLv, long offset, byte[] bytes)
    {
        string path = WriteFile($"write-{Guid.NewGuid():N}.bin", bytes);
        Ok("lv", "write", vgLv, "--offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in", path);
        File.Delete(path);
    }

    public static byte[] Random(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Index of the first differing byte, or -1; for messages that do not dump megabytes.</summary>
    public static long FirstDifference(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return Math.Min(a.Length, b.Length);
        long i = a.AsSpan().CommonPrefixLength(b);
        return i == a.Length ? -1 : i;
    }

    public static void AssertSameBytes(byte[] expected, byte[] actual, string what)
    {
        long at = FirstDifference(expected, actual);
        Assert.True(at < 0, $"{what}: {actual.Length} bytes (expected {expected.Length}), first difference at byte {at} (chunk {at / 4096})");
    }

    public async ValueTask DisposeAsync()
    {
        if (Node is not null)
        {
            try { await Node.DisposeAsync(); }
            catch (InvalidOperationException) { } // already killed and disposed
        }
        data.Dispose();
        work.Dispose();
    }

    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"fleetmerge {Command}: exit {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
    }
}
