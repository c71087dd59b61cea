using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Torture.Fleet;

/// <summary>An ended campaign names every expected host exactly once, each with a final outcome, and no other host.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class OutcomeCheck
{
    private static readonly string[] Final = [HostOutcomes.Succeeded, HostOutcomes.Failed, HostOutcomes.Skipped];

    public static List<string> Problems(string campaignId, string state, IEnumerable<(string HostId, string Outcome)> hosts, IEnumerable<string> expected)
    {
        var problems = new List<string>();
        if (state is not (CampaignStates.Completed or CampaignStates.Failed or CampaignStates.Aborted))
            problems.Add($"campaign {campaignId} is {state}, not ended");
        var list = hosts.ToList();
        var want = expected.ToHashSet(StringComparer.Ordinal);
        foreach (var g in list.GroupBy(h => h.HostId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"campaign {campaignId} lists host {g.Key} {g.Count()} times ({string.Join(", ", g.Select(h => h.Outcome))})");
        foreach (var h in list.Where(h => !want.Contains(h.HostId)).DistinctBy(h => h.HostId))
            problems.Add($"campaign {campaignId} lists host {h.HostId}, which it should not act on");
        foreach (string missing in want.Where(w => list.All(h => h.HostId != w)).Order(StringComparer.Ordinal))
            problems.Add($"campaign {campaignId} has no outcome for host {missing}");
        foreach (var h in list.Where(h => !Final.Contains(h.Outcome)))
            problems.Add($"campaign {campaignId} ended with host {h.HostId} {h.Outcome}");
        return problems;
    }
}
