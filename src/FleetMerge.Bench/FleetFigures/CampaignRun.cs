using System.Diagnostics;
using FleetMerge.Node.Api.Fleet;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// One snapshot campaign as an operator runs it through a node's API, timed from just before the
/// POST to the first poll that finds it over; every host must have succeeded.
/// </summary>
/// <param name="Wall">POST /campaigns to the poll that saw it completed (the bench's clock).</param>
/// <param name="Steps">Host steps the campaign completed (preflight + snapshot per host).</param>
/// <param name="Journaled">created_at to ended_at as the coordinator recorded them.</param>
public sealed record CampaignRun(string Id, int Hosts, TimeSpan Wall, int Steps, TimeSpan Journaled)
{
    /// <summary>
    /// Polled through the campaign list (one small summary per campaign) every 100 ms rather than
    /// GET /campaigns/{id}: the full view of 1,000 hosts is 260 KB built and sent by the coordinator
    /// at every poll, load that the measurement would add to the thing it measures. The view is read
    /// once at the end to check every host.
    /// </summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>snapshot of vg0/root at 50% for the hosts of <paramref name="selector"/>, no hooks, one wave of every host.</summary>
    public static CampaignRequest Snapshot(string selector) => new("snapshot", Hosts: selector, Volumes: ["vg0/root"], Size: "50%", WaveSize: "100%");

    public static async Task<CampaignRun> RunAsync(FleetClient client, string selector, int expectedHosts, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var accepted = await client.StartCampaignAsync(Snapshot(selector));
        if (accepted.Hosts != expectedHosts)
            throw new InvalidOperationException($"campaign {accepted.Id} selected {accepted.Hosts} hosts with '{Shorten(selector)}', expected {expectedHosts}");
        return await AwaitAsync(client, accepted.Id, expectedHosts, clock, limit);
    }

    /// <summary>Polls campaign <paramref name="id"/> until it is over (by <paramref name="clock"/>), then checks every host succeeded.</summary>
    public static async Task<CampaignRun> AwaitAsync(FleetClient client, string id, int expectedHosts, Stopwatch clock, TimeSpan limit)
    {
        CampaignSummary? summary = null;
        while (clock.Elapsed < limit)
        {
            summary = (await client.CampaignsAsync()).FirstOrDefault(c => c.Id == id);
            if (summary is { State: CampaignStates.Completed or CampaignStates.Failed or CampaignStates.Aborted, Running: 0 }) break;
            await Task.Delay(Poll);
        }
        var wall = clock.Elapsed;
        if (summary is not { State: CampaignStates.Completed or CampaignStates.Failed or CampaignStates.Aborted })
            throw new TimeoutException($"campaign {id} over {expectedHosts} hosts is still {summary?.State ?? "unlisted"} after {limit.TotalSeconds:0} s ({summary?.Succeeded} succeeded)");

        var view = await client.CampaignAsync(id);
        var notSucceeded = view.Hosts.Where(h => h.Outcome != HostOutcomes.Succeeded).ToList();
        if (view.State != CampaignStates.Completed || notSucceeded.Count > 0 || view.Hosts.Count != expectedHosts)
            throw new InvalidOperationException($"campaign {view.Id} ended {view.State} with {view.Hosts.Count} hosts; not succeeded: " +
                string.Join("; ", notSucceeded.Take(5).Select(h => $"{h.HostId} {h.Outcome} at {h.Step}: {h.Detail}")));
        var journaled = (view.EndedAt ?? view.CreatedAt) - view.CreatedAt;
        return new CampaignRun(view.Id, view.Hosts.Count, wall, view.Hosts.Sum(h => h.StepCount), journaled);
    }

    private static string Shorten(string selector) => selector.Length <= 60 ? selector : selector[..57] + "...";
}
