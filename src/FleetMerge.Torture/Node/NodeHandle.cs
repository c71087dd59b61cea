using FleetMerge.Bench.Processes;
using FleetMerge.Torture.Api;

namespace FleetMerge.Torture.Node;

/// <summary>
/// A real fleetmerge-node on one data directory that trials kill (SIGKILL) and restart on the same
/// directory, with or without <c>--merge-max-rate</c>. Each start gets a new API port, so the client
/// is replaced with the process.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeHandle(string dataDir, IReadOnlyList<string>? extraOptions = null) : IAsyncDisposable
{
    private NodeProcess? process;

    public string DataDir { get; } = dataDir;

    public ApiClient Api { get; private set; } = null!;

    /// <summary>The rate the running node copies merges at (null: unlimited).</summary>
    public string? MaxRate { get; private set; }

    public bool Running => process is { HasExited: false };

    public int Starts { get; private set; }

    /// <summary>Starts the node unless it already runs with this rate; a running node with another rate is stopped first.</summary>
    public async Task EnsureAsync(string? maxRate)
    {
        if (Running && MaxRate == maxRate) return;
        if (process is not null) await StopAsync();
        await StartAsync(maxRate);
    }

    public async Task StartAsync(string? maxRate)
    {
        List<string> options = [.. extraOptions ?? []];
        if (maxRate is not null) options.AddRange(["--merge-max-rate", maxRate]);
        var (node, api) = await NodeProcess.StartAsync(DataDir, options);
        process = node;
        MaxRate = maxRate;
        Starts++;
        Api?.Dispose();
        Api = new ApiClient(api + "/api/v1", File.ReadAllText(node.TokenFile).Trim());
    }

    /// <summary>SIGKILL: a crash, nothing flushed or handed over.</summary>
    public async Task KillAsync()
    {
        if (process is null) return;
        await process.KillAsync();
        await process.DisposeAsync();
        process = null;
    }

    /// <summary>SIGKILL, then a start on the same directory with the same rate.</summary>
    public async Task RestartAfterKillAsync()
    {
        string? rate = MaxRate;
        await KillAsync();
        await StartAsync(rate);
    }

    public string Describe(string what) => process?.Describe(what) ?? $"fleetmerge-node on {DataDir}: {what} (not running)";

    private async Task StopAsync()
    {
        if (process is null) return;
        await process.DisposeAsync();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch (Exception) { /* tear-down must not throw; the process is gone or killed */ }
        Api?.Dispose();
    }
}
