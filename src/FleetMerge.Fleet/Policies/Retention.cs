using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Fleet.Policies;

/// <summary>One run of a policy as retention sees it: its campaign id is the tag of the snapshots it took.</summary>
public sealed record RetentionRun(string CampaignId, DateTimeOffset Due);

/// <summary>A host and its `lvs` rows, as the registry last heard them.</summary>
public sealed record HostVolumes(string HostId, IReadOnlyList<LvRow> Volumes);

/// <summary>The snapshots to remove from one host, and their origins, as "VG/LV", sorted.</summary>
public sealed record HostPrune(string HostId, IReadOnlyList<string> Snapshots, IReadOnlyList<string> Origins);

/// <summary>
/// Which of a policy's snapshots go. Per host and origin, the policy's snapshots are the ones named
/// <c>origin-TAG</c> (<see cref="SnapshotNames"/>) for a TAG among the policy's runs, ranked newest
/// run first. One goes when it is beyond the <c>keep</c> newest or older than the maximum age,
/// and never when a merge of it is requested or running (lv_attr 'S': removing it would lose the
/// rollback) or when an open campaign holds its tag (a rollback or commit may be about to use it).
/// Snapshots of other policies, of campaigns, or made by hand are never touched.
/// </summary>
public static class Retention
{
    public static IReadOnlyList<HostPrune> Plan(
        int keep, TimeSpan? maxAge, IReadOnlyList<RetentionRun> runs, IEnumerable<HostVolumes> hosts,
        IReadOnlySet<string> openCampaigns, DateTimeOffset now)
    {
        var byTag = new Dictionary<string, RetentionRun>(StringComparer.Ordinal);
        foreach (var run in runs) byTag.TryAdd(run.CampaignId, run);

        var plan = new List<HostPrune>();
        foreach (var host in hosts.OrderBy(h => h.HostId, StringComparer.Ordinal))
        {
            var remove = new List<string>();
            var origins = new SortedSet<string>(StringComparer.Ordinal);
            var families = host.Volumes
                .Select(row => (row, run: RunOf(row, byTag)))
                .Where(x => x.run is not null)
                .GroupBy(x => (x.row.Vg, x.row.Origin));
            foreach (var family in families)
            {
                int rank = 0;
                foreach (var (row, run) in family.OrderByDescending(x => x.run!.Due).ThenByDescending(x => x.run!.CampaignId, StringComparer.Ordinal))
                {
                    bool beyondKeep = rank++ >= keep;
                    bool tooOld = maxAge is { } age && now - run!.Due > age;
                    if (!beyondKeep && !tooOld) continue;
                    if (MergeRequested(row) || openCampaigns.Contains(run!.CampaignId)) continue;
                    remove.Add($"{row.Vg}/{row.Name}");
                    origins.Add($"{row.Vg}/{row.Origin}");
                }
            }
            if (remove.Count > 0) plan.Add(new HostPrune(host.HostId, [.. remove.Order(StringComparer.Ordinal)], [.. origins]));
        }
        return plan;
    }

    /// <summary>The policy run that took this snapshot, or null when the row is not one of the policy's snapshots.</summary>
    private static RetentionRun? RunOf(LvRow row, Dictionary<string, RetentionRun> byTag)
    {
        if (row.Origin is not { } origin || row.Attr.Length == 0 || row.Attr[0] is not ('s' or 'S')) return null;
        string prefix = SnapshotNames.For(origin, "");
        if (!row.Name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return byTag.GetValueOrDefault(row.Name[prefix.Length..]);
    }

    private static bool MergeRequested(LvRow row) => row.Attr[0] == 'S';
}
