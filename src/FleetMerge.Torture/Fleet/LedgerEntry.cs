namespace FleetMerge.Torture.Fleet;

/// <summary>One row of a host's step ledger (persistence id host-steps-HOST in its node's SQLite journal).</summary>
/// <param name="Ok">For host-step.finished.v1: whether the step succeeded.</param>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed record LedgerEntry(string HostId, long Sequence, string Manifest, string Key, bool? Ok)
{
    public const string Accepted = "host-step.accepted.v1";
    public const string Finished = "host-step.finished.v1";
}

/// <summary>One step event of a campaign's journal (persistence id campaign-ID in the fleet journal).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed record JournalStep(string CampaignId, long Sequence, string Manifest, string Key, string HostId, int StepIndex)
{
    public const string Started = "campaign.step-started.v1";
    public const string Succeeded = "campaign.step-succeeded.v1";
    public const string Failed = "campaign.step-failed.v1";
}
