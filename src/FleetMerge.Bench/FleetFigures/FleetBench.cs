namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// The fleet figures in one pass, sharing one cluster: the peak memory of one node with 1,000 hosts
/// (alone, while the cluster starts, also in --quick); three nodes with the
/// fleet split 334/333/333 (100 each in --quick) and a fourth member with no host for the memory
/// baseline; memory per host once every host is registered and idle; the campaigns; the
/// coordinator failovers last, since they kill nodes.
/// </summary>
public static class FleetBench
{
    public const int Nodes = 3;
    private const string Database = "fleetmerge_bench_fleet";

    public static async Task<IReadOnlyList<Figure>> RunAsync(bool quick)
    {
        int hosts = quick ? 300 : 1000, smallRuns = quick ? 3 : 5, kills = quick ? 1 : 3;
        string dir = BenchFiles.FreshDir("fleet");
        var figures = new List<Figure>();

        // The standalone pair runs while the cluster starts and its hosts register (waiting: no
        // figure is timed then) and is over before any figure of the cluster is read.
        Progress.Say($"fleet: peak memory of one node with 1000 simulated hosts of {FleetCluster.VolumeSize} (and of one with none, side by side), in {dir}, while the cluster starts");
        var peak = MemoryFigure.PeakAsync(dir, 1000);

        var slices = FleetLayout.Split(hosts, Nodes);
        Progress.Say($"fleet: {Nodes} nodes with {string.Join('/', slices.Select(s => s.Count))} simulated hosts ({hosts}{(quick ? ", --quick" : "")}) " +
            $"of {FleetCluster.VolumeSize}, fleet journal in the fresh PostgreSQL database {Database}, {smallRuns} small campaigns, {kills} failover(s)");
        FleetDatabase? database = null;
        FleetCluster? cluster = null;
        try
        {
            database = await FleetDatabase.CreateAsync(Database);
            cluster = await FleetCluster.StartAsync(dir, database.ConnectionString, slices, emptyMember: true);
            var empty = cluster.Nodes[Nodes];
            var asking = cluster.Nodes[2];
            var registered = await FleetCluster.AwaitHostsAsync(asking.Client, hosts, TimeSpan.FromMinutes(5));
            Progress.Say($"fleet: {hosts} hosts registered with the coordinator {registered.TotalSeconds:F1} s after the last ready line");
            figures.Add(await peak);

            var members = cluster.Nodes.Take(Nodes).ToList();
            figures.AddRange(await MemoryFigure.PerHostAsync(members, empty));
            await cluster.StopAsync(empty);
            await cluster.AwaitMembersUpAsync(asking, TimeSpan.FromMinutes(1));

            figures.AddRange(await CampaignFigure.RunAsync(cluster, slices, smallRuns));
            figures.AddRange(await FailoverFigure.RunAsync(cluster, hosts, kills));
        }
        finally
        {
            // Whatever failed, the standalone nodes have stopped before this returns.
            await peak.ContinueWith(_ => { }, TaskScheduler.Default);
            if (cluster is not null) await cluster.DisposeAsync();
            if (database is not null) await database.DisposeAsync();
        }
        return figures;
    }
}
