namespace FleetMerge.Torture.Fleet;

/// <summary>
/// "Each step at most once", from the stores themselves: every step key of the given campaigns is
/// accepted and finished at most once in its host's ledger (and only in that host's), started,
/// succeeded and failed at most once in the campaign's journal, never both succeeded and failed; a
/// step the journal records as succeeded finished ok in the host's ledger; a step a host accepted was
/// started by the campaign's journal first. Keys are CAMPAIGN/HOST/INDEX-KIND/N.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class StepOnceCheck
{
    public static List<string> Problems(IEnumerable<LedgerEntry> ledgers, IEnumerable<JournalStep> journal, IReadOnlyCollection<string> campaigns)
    {
        bool Ours(string key) => campaigns.Any(c => key.StartsWith(c + "/", StringComparison.Ordinal));
        var ledger = ledgers.Where(e => Ours(e.Key)).ToList();
        var steps = journal.Where(s => Ours(s.Key)).ToList();
        var problems = new List<string>();

        foreach (var e in ledger.Where(e => HostOf(e.Key) != e.HostId))
            problems.Add($"host {e.HostId}'s ledger holds step {e.Key} of another host");
        foreach (var g in ledger.GroupBy(e => (e.HostId, e.Key, e.Manifest)).Where(g => g.Count() > 1))
            problems.Add($"host {g.Key.HostId} {Verb(g.Key.Manifest)} step {g.Key.Key} {g.Count()} times (ledger seq {string.Join(", ", g.Select(e => e.Sequence))})");
        var accepted = ledger.Where(e => e.Manifest == LedgerEntry.Accepted).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var e in ledger.Where(e => e.Manifest == LedgerEntry.Finished && !accepted.Contains(e.Key)))
            problems.Add($"host {e.HostId} finished step {e.Key} it never accepted");

        foreach (var g in steps.GroupBy(s => (s.Key, s.Manifest)).Where(g => g.Count() > 1))
            problems.Add($"campaign {g.First().CampaignId}'s journal records step {g.Key.Key} as {Word(g.Key.Manifest)} {g.Count()} times");
        var byManifest = steps.ToLookup(s => s.Manifest);
        var started = byManifest[JournalStep.Started].Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var failed = byManifest[JournalStep.Failed].Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var s in byManifest[JournalStep.Succeeded].Concat(byManifest[JournalStep.Failed]).Where(s => !started.Contains(s.Key)))
            problems.Add($"campaign {s.CampaignId}'s journal records step {s.Key} as {Word(s.Manifest)} without starting it");
        foreach (var s in byManifest[JournalStep.Succeeded].Where(s => failed.Contains(s.Key)).DistinctBy(s => s.Key))
            problems.Add($"campaign {s.CampaignId}'s journal records step {s.Key} both succeeded and failed");

        var finishedOk = ledger.Where(e => e.Manifest == LedgerEntry.Finished && e.Ok == true).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var s in byManifest[JournalStep.Succeeded].Where(s => !finishedOk.Contains(s.Key)).DistinctBy(s => s.Key))
            problems.Add($"campaign {s.CampaignId} recorded step {s.Key} succeeded, but host {s.HostId}'s ledger has no ok finish of it");
        foreach (var e in ledger.Where(e => e.Manifest == LedgerEntry.Accepted && !started.Contains(e.Key)))
            problems.Add($"host {e.HostId} ran step {e.Key}, which its campaign's journal never started");
        return problems;
    }

    private static string HostOf(string key) => key.Split('/') is { Length: >= 2 } parts ? parts[1] : "";

    private static string Verb(string manifest) => manifest == LedgerEntry.Accepted ? "accepted" : "finished";

    private static string Word(string manifest) => manifest switch
    {
        JournalStep.Started => "started",
        JournalStep.Succeeded => "succeeded",
        _ => "failed",
    };
}
