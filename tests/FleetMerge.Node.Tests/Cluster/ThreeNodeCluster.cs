using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FleetMerge.Node.Tests.EndToEnd;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Node.Tests.Process;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// Three real node processes on 127.0.0.1 forming one cluster, shared by the tests of one class:
/// node1 and node2 are the seeds and the coordinator nodes (host,coordinator,api), node3 is
/// host,api. Free ports; each node's host journal is SQLite in its own data directory and the
/// fleet journal is a private schema of the test PostgreSQL (--fleet-postgres), as ops/cluster.sh
/// runs them. The CLI is the real `fleetmerge` (<see cref="Cli"/>). A derived fixture adds
/// options per node (<see cref="NodeOptions"/>), e.g. simulated hosts.
/// </summary>
public class ThreeNodeCluster : IAsyncLifetime
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly TempDir root = new("fleetmerge-cluster");

    public PostgresSchema Fleet { get; } = new();
    public NodeProcess[] Nodes { get; } = new NodeProcess[3];
    public string[] Apis { get; } = new string[3];
    public string[] Addresses { get; } = new string[3];

    public string DataDir(int i) => Path.Combine(root.Path, $"node{i + 1}");
    public string TokenFile(int i) => Path.Combine(DataDir(i), "api-token");

    /// <summary>More options for node i (0-based), after the cluster's own.</summary>
    protected virtual IEnumerable<string> NodeOptions(int i) => [];

    public async Task InitializeAsync()
    {
        int[] seedPorts = [FreePort(), FreePort()];
        string seeds = string.Join(',', seedPorts.Select(p => $"127.0.0.1:{p}"));
        for (int i = 0; i < 3; i++)
        {
            Nodes[i] = NodeProcess.Start(
            [
                "--data-dir", DataDir(i), "--api-port", "0", "--host-id", $"node{i + 1}",
                "--akka-port", i < 2 ? $"{seedPorts[i]}" : "0",
                "--seed-nodes", seeds,
                "--roles", i < 2 ? "host,coordinator,api" : "host,api",
                "--fleet-postgres", Fleet.ConnectionString,
                .. NodeOptions(i),
            ]);
        }
        for (int i = 0; i < 3; i++)
        {
            Apis[i] = await Nodes[i].WaitForReadyAsync(ReadyTimeout);
            using var http = NodeProcess.Client(Apis[i], File.ReadAllText(TokenFile(i)).Trim());
            using var node = JsonDocument.Parse(await http.GetStringAsync("api/v1/node"));
            Addresses[i] = node.RootElement.GetProperty("cluster").GetProperty("self_address").GetString()!;
        }
    }

    public HttpClient Http(int i) => NodeProcess.Client(Apis[i], File.ReadAllText(TokenFile(i)).Trim());

    /// <summary>`fleetmerge ARGS --node API(i) --token-file DATA_DIR(i)/api-token`, clean FLEETMERGE_* environment.</summary>
    public EndToEndNode.Result Cli(int i, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.ArgumentList.Add(EndToEndNode.CliDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (string a in new[] { "--node", Apis[i], "--token-file", TokenFile(i) }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fleetmerge {string.Join(' ', args)} did not finish");
        }
        return new EndToEndNode.Result(string.Join(' ', args), process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>`cluster show --json` of node i, parsed; the CLI must succeed.</summary>
    public JsonElement Show(int i)
    {
        var r = Cli(i, "cluster", "show", "--json");
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, r.ToString());
        using var document = JsonDocument.Parse(r.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Repeats <paramref name="assertion"/> until it passes or <paramref name="timeout"/> is over (then its last failure is thrown).</summary>
    public static async Task EventuallyAsync(Action assertion, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (clock.Elapsed < timeout)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The same, for an assertion that asks the nodes (HTTP).</summary>
    public static async Task EventuallyAsync(Func<Task> assertion, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (clock.Elapsed < timeout)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Nodes.Where(n => n is not null).Select(n => n.DisposeAsync().AsTask()));
        Fleet.Dispose();
        root.Dispose();
    }
}
