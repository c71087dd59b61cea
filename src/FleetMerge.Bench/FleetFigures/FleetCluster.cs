using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// Three real nodes on 127.0.0.1 as ops/cluster.sh runs them, on ports of their own: node1 and
/// node2 with roles host,coordinator,api, node3 host,api; every one a seed (so any of them can
/// come back after a crash on its old port and find the others); the fleet journal in a fresh
/// PostgreSQL database; host journals in each node's own SQLite file; each node simulating a slice
/// of the fleet (--simulate-hosts, --simulate-first) with small volumes. Every process is stopped
/// when the cluster is disposed, also after a failure.
/// </summary>
public sealed class FleetCluster : IAsyncDisposable
{
    public const string VolumeSize = "64K";
    public const string FleetSelector = "env=sim";
    private static readonly string[] Roles = ["host,coordinator,api", "host,coordinator,api", "host,api"];

    private readonly string dir;
    private readonly string seeds;
    private readonly string fleetJournal;
    private readonly List<FleetNode> nodes = [];

    private FleetCluster(string dir, string fleetJournal, IReadOnlyList<int> ports)
    {
        this.dir = dir;
        this.fleetJournal = fleetJournal;
        seeds = string.Join(",", ports.Take(Roles.Length).Select(p => $"127.0.0.1:{p}"));
        Ports = ports;
    }

    private IReadOnlyList<int> Ports { get; }

    public IReadOnlyList<FleetNode> Nodes => nodes;

    /// <summary>
    /// Starts node1 (it forms the cluster), then node2 and node3 together, and with
    /// <paramref name="emptyMember"/> a fourth like node3 (host,api) with no simulated host, the
    /// memory figure's baseline (stop it with <see cref="StopAsync"/>); returns when all are ready.
    /// </summary>
    public static async Task<FleetCluster> StartAsync(string dir, string fleetJournal, IReadOnlyList<HostSlice> slices, bool emptyMember)
    {
        var cluster = new FleetCluster(dir, fleetJournal, FreePorts(Roles.Length + 1));
        try
        {
            cluster.nodes.Add(await cluster.StartNodeAsync(1, Roles[0], slices[0]));
            var starts = Enumerable.Range(2, Roles.Length - 1).Select(k => cluster.StartNodeAsync(k, Roles[k - 1], slices[k - 1])).ToList();
            if (emptyMember) starts.Add(cluster.StartNodeAsync(Roles.Length + 1, "host,api", new HostSlice(1, 0)));
            // Every start is awaited before a failure is thrown, so that no started node escapes the dispose.
            await Task.WhenAll(starts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            cluster.nodes.AddRange(starts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            await Task.WhenAll(starts);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops a member gracefully (SIGTERM: it leaves the cluster) and forgets it.</summary>
    public async Task StopAsync(FleetNode node)
    {
        nodes.Remove(node);
        await node.Process.StopAsync();
        await node.DisposeAsync();
    }

    private Task<FleetNode> StartNodeAsync(int k, string roles, HostSlice slice)
    {
        string name = $"node{k}";
        var options = new List<string>
        {
            "--host-id", $"bench-{name}",
            "--akka-port", Ports[k - 1].ToString(CultureInfo.InvariantCulture),
            "--seed-nodes", seeds,
            "--roles", roles,
            "--fleet-postgres", fleetJournal,
            "--simulate-hosts", slice.Count.ToString(CultureInfo.InvariantCulture),
            "--simulate-volume-size", VolumeSize,
        };
        if (slice.Count > 0) options.AddRange(["--simulate-first", slice.First.ToString(CultureInfo.InvariantCulture)]);
        return FleetNode.StartAsync(name, Path.Combine(dir, name), Ports[k - 1], options, slice);
    }

    /// <summary>The member that runs the coordinator singleton, as <paramref name="asking"/> sees the cluster.</summary>
    public async Task<FleetNode> CoordinatorNodeAsync(FleetNode asking)
    {
        var status = await asking.Client.ClusterAsync();
        return nodes.FirstOrDefault(n => n.Address == status.SingletonNode)
            ?? throw new InvalidOperationException($"{asking.Name} sees the coordinator on {status.SingletonNode ?? "no node"}, not on a node of this bench");
    }

    /// <summary>Waits until <paramref name="asking"/> sees every living node up and none unreachable.</summary>
    public async Task AwaitMembersUpAsync(FleetNode asking, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var expected = nodes.Where(n => n.Alive).Select(n => n.Address).Order().ToList();
        string seen = "";
        while (clock.Elapsed < limit)
        {
            var status = await asking.Client.ClusterAsync();
            var up = status.Members.Where(m => m.Status == "up").Select(m => m.Address).Order().ToList();
            seen = $"{string.Join(", ", status.Members.Select(m => $"{m.Address} {m.Status} {m.Reachability}"))}";
            if (up.SequenceEqual(expected) && status.Members.Count == expected.Count && status.Unreachable.Count == 0) return;
            await Task.Delay(250);
        }
        throw new TimeoutException($"{asking.Name} does not see the {expected.Count} nodes up within {limit.TotalSeconds:0} s: {seen}");
    }

    /// <summary>Waits until the coordinator, asked through <paramref name="client"/>'s node, lists <paramref name="count"/> reachable simulated hosts.</summary>
    public static async Task<TimeSpan> AwaitHostsAsync(FleetClient client, int count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        int reachable = 0;
        while (clock.Elapsed < limit)
        {
            try
            {
                var hosts = await client.HostsAsync(FleetSelector);
                reachable = hosts.Count(h => h.Reachability == "reachable");
                if (reachable == count) return clock.Elapsed;
            }
            catch (FleetApiException e) when (e.Status == 503) { /* the coordinator is still starting */ }
            await Task.Delay(500);
        }
        throw new TimeoutException($"only {reachable} of {count} simulated hosts registered with the coordinator within {limit.TotalSeconds:0} s");
    }

    /// <summary>Free TCP ports on the loopback for the Akka endpoints (the APIs take port 0 and say theirs).</summary>
    public static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>Stops every node still running, all at once (SIGTERM; SIGKILL after 60 s).</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
        nodes.Clear();
    }
}
