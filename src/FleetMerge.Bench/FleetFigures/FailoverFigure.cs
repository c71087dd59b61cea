using System.Diagnostics;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// Coordinator failover after a crash: SIGKILL of the node running the coordinator singleton
/// (GET /api/v1/cluster says which), then, timed from the kill and asked through node3 (host,api,
/// never the coordinator's node): GET /campaigns answers again; a new campaign is accepted (it must
/// then complete); every host on the surviving nodes is registered with the new coordinator again.
/// Requests are given 2 s each and retried 100 ms after a failure: the singleton proxy may still
/// send to the dead node for a while, and such a request would otherwise wait the API's 30 s ask
/// timeout. Between kills the killed node is started again on its old data directory and port and
/// the cluster waits until every node is up and every host registered; the singleton then runs on
/// the other coordinator node, which the next round kills. Target: 10 s.
/// <para>
/// The host registry is soft state, rebuilt from the hosts' reports (every 5 s), so a campaign
/// accepted right after a failover selects only the hosts that have reported to the new
/// coordinator so far; the progress line says how many of the 3 asked for it got, and the third
/// figure says when the registry is whole again.
/// </para>
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
        var registries = new List<TimeSpan>();
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
            int survivors = totalHosts - victim.Slice.Count;
            var slice = asking.Slice;
            string selector = "host=" + string.Join('|', Enumerable.Range(slice.First + slice.Count - CampaignHosts * round, CampaignHosts).Select(HostSlice.HostId));

            var killedUtc = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            await victim.KillAsync();
            await UntilAsync(async ct => { await asking.Client.CampaignsAsync(ct); return true; }, clock, "GET /campaigns");
            answers.Add(clock.Elapsed);
            // A refusal (no host matches: none has reported yet) or a 503 is retried; anything else is a failure.
            CampaignAccepted? accepted = null;
            await UntilAsync(async ct =>
            {
                try { accepted = await asking.Client.StartCampaignAsync(CampaignRun.Snapshot(selector), ct); return true; }
                catch (FleetApiException e) when (e.Status is 400 or 503) { return false; }
            }, clock, "POST /campaigns");
            accepts.Add(clock.Elapsed);
            await UntilAsync(async ct => (await asking.Client.HostsAsync(FleetCluster.FleetSelector, ct)).Count(h => h.Reachability == "reachable") == survivors,
                clock, $"all {survivors} surviving hosts registered");
            registries.Add(clock.Elapsed);

            var successor = await cluster.CoordinatorNodeAsync(asking);
            if (successor == victim) throw new InvalidOperationException($"the coordinator is still on {victim.Name} after its SIGKILL");
            var run = await CampaignRun.AwaitAsync(asking.Client, accepted!.Id, accepted.Hosts, Stopwatch.StartNew(), Limit);
            Progress.Say($"fleet: failover {round}/{kills}: SIGKILL of {victim.Name} (the coordinator's), coordinator now on {successor.Name}; via {asking.Name}: " +
                $"GET /campaigns answers after {answers[^1].TotalSeconds:F2} s, campaign {run.Id} accepted at {accepts[^1].TotalSeconds:F2} s " +
                $"({accepted.Hosts} of the {CampaignHosts} hosts asked for had reported; completed), all {survivors} surviving hosts registered at {registries[^1].TotalSeconds:F2} s");
            Progress.Say($"fleet: failover {round}/{kills} in the logs of {successor.Name}: {FailoverTimeline.Describe(FailoverTimeline.Of(killedUtc, successor.Process.Watched))}; " +
                $"of {asking.Name}: {FailoverTimeline.Describe(FailoverTimeline.Of(killedUtc, asking.Process.Watched))}");

            if (round < kills)
            {
                await victim.StartAsync();
                await cluster.AwaitMembersUpAsync(asking, TimeSpan.FromMinutes(2));
                var took = await FleetCluster.AwaitHostsAsync(asking.Client, totalHosts, TimeSpan.FromMinutes(3));
                Progress.Say($"fleet: {victim.Name} restarted, its hosts registered again {took.TotalSeconds:F1} s after its ready line");
            }
        }

        double healthyMs = Median.Ms(healthy);
        Progress.Say($"fleet: failover floor from the node's base.conf: {floor.Describe()}; GET /campaigns on the healthy cluster: median {healthyMs:F1} ms");
        string baseline = $"configured floor: {floor.Describe()} (the same GET on the healthy cluster: {healthyMs:F1} ms)";
        double floorSeconds = floor.Total.TotalSeconds;
        string of = kills == 1 ? "1 kill" : $"median of {kills}";
        return
        [
            Figures.Measured($"failover after SIGKILL: API answers again ({of})", Median.Ms(answers) / 1000, "s", baseline, floorSeconds, TargetSeconds),
            Figures.Measured($"failover after SIGKILL: new campaign accepted ({of})", Median.Ms(accepts) / 1000, "s", baseline, floorSeconds, TargetSeconds),
            Figures.Measured($"failover after SIGKILL: surviving hosts registered ({of})", Median.Ms(registries) / 1000, "s", baseline, floorSeconds),
        ];
    }

    /// <summary>Tries <paramref name="attempt"/> (2 s each) until it returns true; failures and timeouts are retried until 90 s after the kill.</summary>
    private static async Task UntilAsync(Func<CancellationToken, Task<bool>> attempt, Stopwatch clock, string what)
    {
        string last = "no answer yet";
        while (clock.Elapsed < Limit)
        {
            using var limit = new CancellationTokenSource(Attempt);
            try
            {
                if (await attempt(limit.Token)) return;
                last = "not yet";
            }
            catch (Exception e) when (e is FleetApiException or HttpRequestException or OperationCanceledException)
            {
                last = e is OperationCanceledException ? $"no answer within {Attempt.TotalSeconds:0} s" : e.Message;
            }
            await Task.Delay(Retry);
        }
        throw new TimeoutException($"{what}: not within {Limit.TotalSeconds:0} s of the SIGKILL; last: {last}");
    }
}
