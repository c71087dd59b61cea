using FleetMerge.Bench.Processes;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// What a simulated host costs in memory: the resident set (VmRSS) of each node of the cluster
/// with its hosts registered and idle, against a fourth member started the same way with
/// --simulate-hosts 0 (roles host,api, like node3) at the same moment; the difference over the
/// node's hosts is its memory per host. node1 also runs the coordinator, whose host registry grows
/// with the whole fleet. And the peak resident set (VmHWM) of one node that simulates 1,000 hosts
/// on its own (its own one-node cluster, SQLite fleet journal), against the same node with none.
/// RSS moves with the garbage collector, so each reading is the median of a few, a second apart,
/// after the node has been idle for a few seconds.
/// </summary>
public static class MemoryFigure
{
    private const int Samples = 5;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The cluster's nodes, hosts registered; <paramref name="empty"/> the member with none. Call
    /// while nothing else runs.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> PerHostAsync(IReadOnlyList<FleetNode> nodes, FleetNode empty)
    {
        await Task.Delay(Settle);
        var all = nodes.Append(empty).ToList();
        var rss = all.ToDictionary(n => n, _ => new List<double>());
        for (int i = 0; i < Samples; i++)
        {
            foreach (var node in all)
            {
                rss[node].Add(node.Memory().RssMiB);
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        double baseMiB = Median.Of(rss[empty]);
        const string baseline = "RSS of a 4th member of the same cluster started with --simulate-hosts 0 (host,api), measured alongside";
        var figures = new List<Figure>();
        double extraKiB = 0;
        int hosts = 0;
        foreach (var node in nodes)
        {
            double mib = Median.Of(rss[node]);
            double perHostKiB = (mib - baseMiB) * 1024 / node.Slice.Count;
            extraKiB += (mib - baseMiB) * 1024;
            hosts += node.Slice.Count;
            string roles = node.Options[node.Options.ToList().IndexOf("--roles") + 1];
            Progress.Say($"fleet: {node.Name} ({roles}) RSS {mib:F1} MiB with {node.Slice.Count} idle hosts, the 0-host member {baseMiB:F1} MiB: {perHostKiB:F0} KiB per host");
            figures.Add(Figures.Measured($"{node.Name} RSS, {node.Slice.Count} idle simulated hosts ({roles})", mib, "MiB", baseline, baseMiB));
        }
        figures.Add(Figures.Measured($"memory per idle simulated host, mean over the 3 nodes ({hosts} hosts)", extraKiB / hosts, "KiB",
            "derived: (node RSS - 0-host member RSS) / its hosts, summed over the 3 nodes", double.NaN));
        return figures;
    }

    /// <summary>
    /// Peak RSS of one node simulating <paramref name="hosts"/> hosts, against the same node with
    /// none, both run at the same time (each is its own process: a peak does not depend on the
    /// other's, and the pair costs one node's start and settle instead of two).
    /// </summary>
    public static async Task<Figure> PeakAsync(string dir, int hosts)
    {
        var bothRuns = await Task.WhenAll(StandaloneAsync(Path.Combine(dir, "alone-0"), 0), StandaloneAsync(Path.Combine(dir, $"alone-{hosts}"), hosts));
        var (empty, full) = (bothRuns[0], bothRuns[1]);
        Progress.Say($"fleet: one node alone with {hosts} hosts: peak RSS {full.PeakRssMiB:F1} MiB, RSS {full.RssMiB:F1} MiB when idle; " +
            $"with none: peak {empty.PeakRssMiB:F1} MiB, RSS {empty.RssMiB:F1} MiB");
        return Figures.Measured($"peak RSS (VmHWM), one node with {hosts} simulated hosts", full.PeakRssMiB, "MiB",
            "peak RSS of the same node alone with --simulate-hosts 0", empty.PeakRssMiB);
    }

    /// <summary>A one-node cluster: started, its hosts registered, idle for a while, then its memory read and the node stopped.</summary>
    private static async Task<ProcMemory> StandaloneAsync(string dataDir, int hosts)
    {
        string[] options = ["--simulate-hosts", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--simulate-volume-size", FleetCluster.VolumeSize];
        var (process, api) = await NodeProcess.StartAsync(dataDir, options);
        await using (process)
        {
            if (hosts > 0)
            {
                using var client = new FleetClient(api, process.TokenFile);
                var took = await FleetCluster.AwaitHostsAsync(client, hosts, TimeSpan.FromMinutes(3));
                Progress.Say($"fleet: one node alone: {hosts} hosts registered {took.TotalSeconds:F1} s after its ready line");
            }
            await Task.Delay(Settle);
            var memory = ProcMemory.Of(process.Pid);
            await process.StopAsync();
            return memory;
        }
    }
}
