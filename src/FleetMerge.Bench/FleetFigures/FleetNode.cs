using FleetMerge.Bench.Processes;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// One member of the bench's cluster: a real <c>fleetmerge-node</c> process with its options
/// (kept for a restart on the same data directory and Akka port, as after a crash), its API and client.
/// </summary>
public sealed class FleetNode : IAsyncDisposable
{
    private FleetNode(string name, string dataDir, int akkaPort, IReadOnlyList<string> options, HostSlice slice)
    {
        Name = name;
        DataDir = dataDir;
        AkkaPort = akkaPort;
        Options = options;
        Slice = slice;
    }

    public string Name { get; }

    public string DataDir { get; }

    public int AkkaPort { get; }

    public IReadOnlyList<string> Options { get; }

    public HostSlice Slice { get; }

    /// <summary>The address the cluster knows this node by (GET /cluster's members, singleton_node).</summary>
    public string Address => $"akka.tcp://fleetmerge@127.0.0.1:{AkkaPort}";

    public NodeProcess Process { get; private set; } = null!;

    public FleetClient Client { get; private set; } = null!;

    public bool Alive => Process is { HasExited: false };

    public static async Task<FleetNode> StartAsync(string name, string dataDir, int akkaPort, IReadOnlyList<string> options, HostSlice slice)
    {
        var node = new FleetNode(name, dataDir, akkaPort, options, slice);
        await node.StartAsync();
        return node;
    }

    /// <summary>Starts (or starts again) the process and waits for its ready line.</summary>
    public async Task StartAsync()
    {
        Client?.Dispose();
        if (Process is not null) await Process.DisposeAsync();
        var (process, api) = await NodeProcess.StartAsync(DataDir, Options, FailoverTimeline.Markers);
        Process = process;
        Client = new FleetClient(api, process.TokenFile);
    }

    public ProcMemory Memory() => ProcMemory.Of(Process.Pid);

    public Task KillAsync() => Process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Process is not null) await Process.DisposeAsync();
    }
}
