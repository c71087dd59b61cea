using System.Diagnostics;
using System.Globalization;
using FleetMerge.Bench.FleetFigures;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// Three real nodes on 127.0.0.1 (node1 and node2 host,coordinator,api; node3 host,api; all seeds, so a
/// killed node comes back on its old port and finds the others), ten simulated hosts each, the fleet
/// journal in the given PostgreSQL database. Like the bench's FleetCluster, plus simulated faults (a
/// slow step keeps a campaign running long enough to be cut) and the hosts' files on disk, which are
/// the torture's evidence.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TortureCluster : IAsyncDisposable
{
    public const int HostsPerNode = 10;
    /// <summary>Room for the simulated upgrade (64 pages of 4 KiB) in a 50% snapshot: 128 chunks of COW.</summary>
    public const string VolumeSize = "1M";
    public const string Selector = "env=sim";
    private static readonly string[] Roles = ["host,coordinator,api", "host,coordinator,api", "host,api"];
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(5);

    private readonly List<FleetNode> nodes = [];
    private readonly HashSet<FleetNode> down = [];

    private TortureCluster()
    {
    }

    public IReadOnlyList<FleetNode> Nodes => nodes;

    public static IReadOnlyList<string> HostIds { get; } =
        [.. Enumerable.Range(1, 3 * HostsPerNode).Select(HostSlice.HostId)];

    public static async Task<TortureCluster> StartAsync(string dir, string fleetJournal, string faults)
    {
        var cluster = new TortureCluster();
        var ports = FleetCluster.FreePorts(Roles.Length);
        string seeds = string.Join(",", ports.Select(p => $"127.0.0.1:{p}"));
        try
        {
            for (int k = 1; k <= Roles.Length; k++)
            {
                var slice = new HostSlice((k - 1) * HostsPerNode + 1, HostsPerNode);
                string[] options =
                [
                    "--host-id", $"torture-node{k}",
                    "--akka-port", ports[k - 1].ToString(CultureInfo.InvariantCulture),
                    "--seed-nodes", seeds,
                    "--roles", Roles[k - 1],
                    "--fleet-postgres", fleetJournal,
                    "--simulate-hosts", HostsPerNode.ToString(CultureInfo.InvariantCulture),
                    "--simulate-first", slice.First.ToString(CultureInfo.InvariantCulture),
                    "--simulate-volume-size", VolumeSize,
                    "--simulate-faults", faults,
                ];
                // node1 first: it forms the cluster, so it is the oldest and runs the coordinator.
                cluster.nodes.Add(await FleetNode.StartAsync($"node{k}", Path.Combine(dir, $"node{k}"), ports[k - 1], options, slice));
            }
            await cluster.AwaitSettledAsync(TimeSpan.FromMinutes(3));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Marks a node killed until <see cref="Restarted"/>. FleetNode.Alive cannot say it: while a node
    /// starts again its old process object is already disposed, and asking it throws.
    /// </summary>
    public void Killed(FleetNode node)
    {
        lock (down) down.Add(node);
    }

    public void Restarted(FleetNode node)
    {
        lock (down) down.Remove(node);
    }

    private List<FleetNode> Living()
    {
        lock (down) return [.. nodes.Where(n => !down.Contains(n))];
    }

    public FleetNode NodeOf(string hostId) => nodes.Single(n => n.Slice.HostIds.Contains(hostId));

    public string VgDir(string hostId) => Path.Combine(NodeOf(hostId).DataDir, "sim", hostId, "vgs", "vg0");

    public string OriginPath(string hostId) => Path.Combine(VgDir(hostId), "root.img");

    /// <summary>The snapshot stores on the host's disk, by snapshot name (root-c3 for c3's snapshot of root).</summary>
    public IReadOnlyList<string> Snapshots(string hostId) =>
        [.. Directory.EnumerateFiles(VgDir(hostId), "*.cow").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>Every host's origin image as it is on disk now.</summary>
    public Dictionary<string, byte[]> ReadOrigins() =>
        HostIds.ToDictionary(h => h, h => File.ReadAllBytes(OriginPath(h)), StringComparer.Ordinal);

    /// <summary>
    /// Asks the first living node that answers (5 s per attempt, every node in turn, until
    /// <paramref name="limit"/>): after a SIGKILL or while the journal is away an ask can wait on a
    /// coordinator that is gone or busy.
    /// </summary>
    public async Task<T> AskAsync<T>(string what, Func<FleetClient, CancellationToken, Task<T>> ask, TimeSpan limit, Func<FleetApiException, bool>? retryOn = null)
    {
        var clock = Stopwatch.StartNew();
        string last = "no node alive";
        for (int round = 0; clock.Elapsed < limit; round++)
        {
            foreach (var node in Living())
            {
                using var timeout = new CancellationTokenSource(Attempt);
                try
                {
                    return await ask(node.Client, timeout.Token);
                }
                catch (FleetApiException e) when (e.Status >= 500 || retryOn?.Invoke(e) == true)
                {
                    last = e.Message;
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    last = $"{node.Name}: {(e is OperationCanceledException ? "no answer within 5 s" : e.Message)}";
                }
                if (clock.Elapsed >= limit) break;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{what}: no node answered within {limit.TotalSeconds:0} s (last: {last})");
    }

    /// <summary>The node running the coordinator singleton, as a living node sees the cluster.</summary>
    public async Task<FleetNode?> CoordinatorNodeAsync()
    {
        var status = await AskAsync("GET /cluster", (c, ct) => c.ClusterAsync(ct), TimeSpan.FromSeconds(30));
        return nodes.FirstOrDefault(n => n.Address == status.SingletonNode);
    }

    /// <summary>
    /// Waits until every node is up and the coordinator lists all 30 hosts reachable with no merge
    /// running (a merge marked on-activate may still run after a restart), so the files on disk are still.
    /// </summary>
    public async Task AwaitSettledAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        string seen = "nothing yet";
        while (clock.Elapsed < limit)
        {
            try
            {
                var hosts = await AskAsync("GET /hosts", (c, ct) => c.HostsAsync(Selector, ct), limit - clock.Elapsed);
                var reachable = hosts.Where(h => h.Reachability == "reachable").ToList();
                var merging = reachable.Where(h => h.State == "merging").Select(h => h.HostId).ToList();
                seen = $"{reachable.Count} of {HostIds.Count} hosts reachable, merging: {(merging.Count == 0 ? "none" : string.Join(", ", merging))}";
                if (reachable.Count == HostIds.Count && merging.Count == 0) return;
            }
            catch (TimeoutException e)
            {
                seen = e.Message;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"the fleet did not settle within {limit.TotalSeconds:0} s: {seen}");
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(nodes.Select(async n =>
        {
            try { await n.DisposeAsync(); }
            catch (InvalidOperationException)
            {
                // Its restart failed after the old process was disposed: nothing of it is left running.
            }
        }));
        nodes.Clear();
    }
}
