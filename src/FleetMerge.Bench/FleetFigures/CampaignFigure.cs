namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// A snapshot campaign over every simulated host of the three-node cluster (1,000 in the full run),
/// started and followed through node3's API (host,api: not the coordinator's node, so every answer
/// crosses the cluster), against the same campaign over a small fleet of 30 hosts (10 per node) in
/// the same cluster and run. Target: 1,000 hosts in at most 20 s.
/// <para>
/// The small campaigns run first: one warm-up (the first campaign of a cluster pays the JIT for
/// every path on every node, which would flatter the ratio), then <c>smallRuns</c> measured ones,
/// each on hosts no earlier campaign touched; their median is the baseline. The ratio says how the
/// campaign's time grows with its hosts (33x the hosts at 1,000); the time per host and the
/// coordinator's throughput (host steps completed per second) say the same per unit of work.
/// </para>
/// </summary>
public static class CampaignFigure
{
    public const int SmallPerNode = 10;
    public const double TargetSeconds = 20, TargetHosts = 1000;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task<IReadOnlyList<Figure>> RunAsync(FleetCluster cluster, IReadOnlyList<HostSlice> slices, int smallRuns)
    {
        var asking = cluster.Nodes[2];
        int hosts = slices.Sum(s => s.Count), small = SmallPerNode * slices.Count;
        var smalls = new List<CampaignRun>();
        for (int round = 0; round <= smallRuns; round++)
        {
            var run = await CampaignRun.RunAsync(asking.Client, FleetLayout.SmallFleetSelector(slices, SmallPerNode, round), small, Limit);
            Progress.Say($"fleet: campaign {run.Id} over {small} hosts ({(round == 0 ? "warm-up, not counted" : $"baseline {round}/{smallRuns}")}): " +
                $"{run.Wall.TotalMilliseconds:F0} ms, {run.Steps} steps (journaled {run.Journaled.TotalMilliseconds:F0} ms)");
            if (round > 0) smalls.Add(run);
        }
        var big = await CampaignRun.RunAsync(asking.Client, FleetCluster.FleetSelector, hosts, Limit);
        Progress.Say($"fleet: campaign {big.Id} over {hosts} hosts: {big.Wall.TotalSeconds:F2} s, {big.Steps} steps, every host succeeded " +
            $"(journaled {big.Journaled.TotalSeconds:F2} s)");

        double smallSeconds = Median.Ms([.. smalls.Select(r => r.Wall)]) / 1000;
        double smallSteps = smalls.Average(r => r.Steps);
        double bigSeconds = big.Wall.TotalSeconds;
        string baseline = $"the same campaign over {small} hosts ({SmallPerNode} per node) in the same cluster, median of {smallRuns} after a warm-up" +
            (hosts == TargetHosts ? "" : $"; the {TargetSeconds:0} s target is for {TargetHosts:0} hosts (the full run)");
        return
        [
            Figures.Measured($"snapshot campaign, {hosts} hosts on 3 nodes, POST to completed", bigSeconds, "s", baseline, smallSeconds,
                hosts == TargetHosts ? TargetSeconds : double.NaN),
            Figures.Measured($"campaign time per host, {hosts} hosts", bigSeconds * 1000 / hosts, "ms", baseline, smallSeconds * 1000 / small),
            Figures.Measured($"coordinator throughput, host steps completed/s, {hosts} hosts", big.Steps / bigSeconds, "steps/s", baseline,
                smallSteps / smallSeconds, higherIsBetter: true),
        ];
    }
}
