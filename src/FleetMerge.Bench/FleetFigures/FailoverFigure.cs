using System.Diagnostics;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// Coordinator failover after a crash: SIGKILL of the node running the coordinator singleton
/// (GET /api/v1/cluster says which), then the time from the kill until node3 (host,api, never the
/// coordinator's node) answers GET /campaigns again, and until it accepts a new campaign (which
/// must then complete). Each request is given 2 s and retried 100 ms after a failure: the singleton
/// proxy may still send to the dead node for a while, and such a request would otherwise wait the
/// API's 30 s ask timeout. Between kills the killed node is started again on its old data
/// directory and port and the cluster waits until every node is up and every host registered; the
/// singleton then runs on the other coordinator node, which the next round kills. Target: 10 s.
/// <para>
/// Baseline: the floor the cluster's configuration puts under any failover (failure detection +
/// stable-after + removal margin, <see cref="FailoverFloor"/>), so the ratio says how much the
/// failover adds to the waiting it is configured to do. The same GET on the healthy cluster
/// (milliseconds) is printed alongside; as a baseline its ratio would only restate the floor.
/// </para>
/// </summary>
public static class FailoverFigure
{
    public const double TargetSeconds = 10;
    private const int CampaignHosts = 3;
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2), Retry = TimeSpan.FromMilliseconds(100), Limit = TimeSpan.FromSeconds(90);

    public static async Task<IReadOnlyList<Figure>> RunAsync(FleetCluster cluster, int totalHosts, int kills)
    {
        var floor = FailoverFloor.OfNode();
        var asking = cluster.Nodes[2];
        var answers = new List<TimeSpan>();
        var accepts = new List<TimeSpan>();
        var healthy = new List<TimeSpan>();
        for (int round = 1; round <= kills; round++)
        {
            var victim = await cluster.CoordinatorNodeAsync(asking);
            for (int i = 0; i < 5; i++)
            {
                var call = Stopwatch.StartNew();
                await asking.Client.CampaignsAsync();
                healthy.Add(call.Elapsed);
            }

            var clock = Stopwatch.StartNew();
            await victim.KillAsync();
            var answered = await FirstAnswerAsync(ct => asking.Client.CampaignsAsync(ct), clock);
            var slice = asking.Slice;
            string selector = "host=" + string.Join('|', Enumerable.Range(slice.First + slice.Count - CampaignHosts * round, CampaignHosts).Select(HostSlice.HostId));
            var accepted = await asking.Client.StartCampaignAsync(CampaignRun.Snapshot(selector));
            var acceptedAfter = clock.Elapsed;
            var successor = await cluster.CoordinatorNodeAsync(asking);
            if (successor == victim) throw new InvalidOperationException($"the coordinator is still on {victim.Name} after its SIGKILL");
            answers.Add(answered);
            accepts.Add(acceptedAfter);
            var run = await CampaignRun.AwaitAsync(asking.Client, accepted.Id, CampaignHosts, Stopwatch.StartNew(), Limit);
            Progress.Say($"fleet: failover {round}/{kills}: SIGKILL of {victim.Name} (the coordinator's); {asking.Name} answers GET /campaigns " +
                $"{answered.TotalSeconds:F2} s later, accepts campaign {run.Id} at {acceptedAfter.TotalSeconds:F2} s (completed on {CampaignHosts} hosts); coordinator now on {successor.Name}");

            if (round < kills)
            {
                await victim.StartAsync();
                await cluster.AwaitMembersUpAsync(asking, TimeSpan.FromMinutes(2));
                var took = await FleetCluster.AwaitHostsAsync(asking.Client, totalHosts, TimeSpan.FromMinutes(3));
                Progress.Say($"fleet: {victim.Name} restarted and its hosts registered again ({took.TotalSeconds:F1} s after its ready line)");
            }
        }

        double healthyMs = Median.Ms(healthy);
        Progress.Say($"fleet: failover floor from base.conf: {floor.Describe()}; GET /campaigns on the healthy cluster: median {healthyMs:F1} ms");
        string baseline = $"configured floor: {floor.Describe()} (healthy GET /campaigns: {healthyMs:F1} ms)";
        double floorSeconds = floor.Total.TotalSeconds;
        string of = kills == 1 ? "1 kill" : $"median of {kills} kills";
        return
        [
            Figures.Measured($"coordinator failover after SIGKILL: API answers again ({of})", Median.Ms(answers) / 1000, "s", baseline, floorSeconds, TargetSeconds),
            Figures.Measured($"coordinator failover after SIGKILL: new campaign accepted ({of})", Median.Ms(accepts) / 1000, "s", baseline, floorSeconds, TargetSeconds),
        ];
    }

    /// <summary>Retries <paramref name="call"/> (2 s each) until it succeeds; returns <paramref name="clock"/>'s time at that success.</summary>
    private static async Task<TimeSpan> FirstAnswerAsync(Func<CancellationToken, Task> call, Stopwatch clock)
    {
        string last = "no attempt";
        while (clock.Elapsed < Limit)
        {
            using var attempt = new CancellationTokenSource(Attempt);
            try
            {
                await call(attempt.Token);
                return clock.Elapsed;
            }
            catch (Exception e) when (e is FleetApiException or HttpRequestException or OperationCanceledException)
            {
                last = e is OperationCanceledException ? $"no answer within {Attempt.TotalSeconds:0} s" : e.Message;
            }
            await Task.Delay(Retry);
        }
        throw new TimeoutException($"the coordinator did not answer within {Limit.TotalSeconds:0} s of the SIGKILL; last: {last}");
    }
}
