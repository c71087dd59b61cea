using System.Collections.Immutable;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

/// <summary>
/// The scheduler's state as pure functions: event → state, and the decisions and views read from
/// it. Runs are kept oldest first; the history of a policy is capped at <see cref="MaxRuns"/>
/// (oldest pruned runs drop first), which also caps what retention recognises as the policy's
/// snapshots: one that survived that many runs (a host away that long) is left alone.
/// </summary>
public sealed record PolicyBook(ImmutableSortedDictionary<string, PolicyEntry> Policies)
{
    public const int MaxRuns = 500;
    public const int ViewRuns = 20;

    public static readonly PolicyBook Empty = new(ImmutableSortedDictionary.Create<string, PolicyEntry>(StringComparer.Ordinal));

    public static PolicyBook From(PolicyBookSnapshot snapshot) =>
        new(snapshot.Policies.ToImmutableSortedDictionary(p => p.Name, p => p, StringComparer.Ordinal));

    public PolicyBookSnapshot ToSnapshot() => new([.. Policies.Values]);

    public PolicyEntry? Find(string name) => Policies.GetValueOrDefault(name);

    public PolicyBook Apply(IPolicyEvent e) => e switch
    {
        PolicyAdded a => this with { Policies = Policies.SetItem(a.Spec.Name, new PolicyEntry(a.Spec, a.At, [])) },
        PolicyRemoved r => this with { Policies = Policies.Remove(r.Name) },
        PolicyRunStarted s => Update(s.Name, p => p with
        {
            Runs = Capped([.. p.Runs, new PolicyRunRecord(s.Due, s.StartedAt, s.CampaignId, s.Missed, null, null)]),
        }),
        PolicyRunPruned x => Update(x.Name, p => p with
        {
            Runs = [.. p.Runs.Select(r => r.CampaignId == x.CampaignId ? r with { Pruned = x.Removed, CampaignState = x.CampaignState } : r)],
        }),
        _ => this,
    };

    /// <summary>The time the next scheduled run is counted from: the latest run's due time, or the policy's creation.</summary>
    public static DateTimeOffset Anchor(PolicyEntry policy)
    {
        var anchor = policy.CreatedAt;
        foreach (var run in policy.Runs)
            if (run.Due > anchor) anchor = run.Due;
        return anchor;
    }

    /// <summary>Runs whose campaign has not been seen to end yet (pruning follows the end).</summary>
    public IEnumerable<(PolicyEntry Policy, PolicyRunRecord Run)> Unpruned() =>
        Policies.Values.SelectMany(p => p.Runs.Where(r => r.Pruned is null).Select(r => (p, r)));

    public static PolicyView View(PolicyEntry policy, PolicySchedule schedule, DateTimeOffset now, IReadOnlyDictionary<string, string> liveStates)
    {
        var anchor = Anchor(policy);
        var runs = policy.Runs.Reverse().Take(ViewRuns)
            .Select(r => new PolicyRun(r.Due, r.StartedAt, r.CampaignId, r.CampaignState ?? liveStates.GetValueOrDefault(r.CampaignId), r.Pruned ?? 0, r.Missed))
            .ToList();
        return new PolicyView(policy.Spec, policy.CreatedAt, schedule.NextAfter(anchor > now ? anchor : now),
            policy.Runs.Count == 0 ? null : policy.Runs[^1].StartedAt, runs);
    }

    private PolicyBook Update(string name, Func<PolicyEntry, PolicyEntry> change) =>
        Policies.TryGetValue(name, out var p) ? this with { Policies = Policies.SetItem(name, change(p)) } : this;

    private static IReadOnlyList<PolicyRunRecord> Capped(List<PolicyRunRecord> runs)
    {
        while (runs.Count > MaxRuns && runs.FindIndex(r => r.Pruned is not null) is var oldest and >= 0) runs.RemoveAt(oldest);
        return runs;
    }
}
