namespace FleetMerge.Protocol.Fleet;

/// <summary>One line of `campaign list`.</summary>
public sealed record CampaignSummary(
    string Id, string Kind, string State, string Hosts, int HostCount, int Succeeded, int Failed, int Running,
    DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Policy, string? Of);

public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns) : IWireMessage;

/// <summary>`campaign status ID`: the campaign, its waves, every host's step and outcome, and its timeline.</summary>
/// <param name="Halted">Why the campaign stopped early (failure budget spent, aborted by …), if it did.</param>
/// <param name="FollowUp">The rollback campaign started automatically for the failed hosts, if any.</param>
public sealed record CampaignView(
    string Id,
    CampaignSpec Spec,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    int CurrentWave,
    IReadOnlyList<WaveView> Waves,
    IReadOnlyList<HostProgress> Hosts,
    int FailuresAllowed,
    int FailuresSeen,
    string? Halted,
    string? FollowUp,
    string? WaitingFor,
    IReadOnlyList<TimelineEntry> Timeline) : IWireMessage;

/// <param name="State">pending, running, done.</param>
public sealed record WaveView(int Number, string Name, IReadOnlyList<string> Hosts, string State);

/// <summary>One host in a campaign: its wave, the step it is on (or ended on), its outcome and how it got there.</summary>
public sealed record HostProgress(
    string HostId, int Wave, string Outcome, string? Step, int StepIndex, int StepCount, string? Detail,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

public sealed record TimelineEntry(DateTimeOffset At, string What);
