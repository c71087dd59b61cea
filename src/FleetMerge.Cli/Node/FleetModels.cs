using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Cli.Node;

/// <summary>GET /hosts row: a host as the coordinator's registry sees it.</summary>
public sealed record HostRow(
    string HostId,
    string? Node,
    Dictionary<string, string>? Labels,
    string? Reachability,
    string? State,
    long Incarnation,
    bool Simulated,
    long FreeBytes,
    List<LvRow>? Volumes,
    DateTimeOffset? LastReport)
{
    [JsonIgnore]
    public string LabelText => Labels is null ? "" : string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>GET /campaigns row.</summary>
public sealed record CampaignRow(
    string Id, string? Kind, string? State, string? Hosts, int HostCount, int Succeeded, int Failed, int Running,
    DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Policy, string? Of);

/// <summary>GET /campaigns/{id}: the campaign, its waves, its hosts and its timeline.</summary>
public sealed record CampaignDetail(
    string Id,
    CampaignSpecView? Spec,
    string? State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    int CurrentWave,
    List<WaveRow>? Waves,
    List<HostProgressRow>? Hosts,
    int FailuresAllowed,
    int FailuresSeen,
    string? Halted,
    string? FollowUp,
    string? WaitingFor,
    List<TimelineRow>? Timeline)
{
    /// <summary>Ended, and no host still on a step.</summary>
    [JsonIgnore]
    public bool IsOver => State is "completed" or "aborted" or "failed" && (Hosts ?? []).All(h => h.Outcome != "running");

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CampaignSpecView(string? Kind, string? Hosts, List<string>? Volumes, string? Size, string? Of, string? Policy);

public sealed record WaveRow(int Number, string? Name, List<string>? Hosts, string? State);

public sealed record HostProgressRow(
    string HostId, int Wave, string? Outcome, string? Step, int StepIndex, int StepCount, string? Detail,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

public sealed record TimelineRow(DateTimeOffset At, string? What);

/// <summary>POST /campaigns and POST /policies/{name}/run.</summary>
public sealed record CampaignAcceptedRow(string Id, int Hosts);

/// <summary>GET /policies row and GET /policies/{name}.</summary>
public sealed record PolicyRow(PolicySpecView Spec, DateTimeOffset CreatedAt, DateTimeOffset? NextRun, DateTimeOffset? LastRun, List<PolicyRunRow>? Runs);

public sealed record PolicySpecView(
    string Name, string? Cron, string? TimeZone, string? Hosts, List<string>? Volumes, string? Size, int ChunkBytes, int Keep, string? MaxAge);

public sealed record PolicyRunRow(DateTimeOffset Due, DateTimeOffset StartedAt, string? CampaignId, string? CampaignState, int Pruned, bool Missed);

/// <summary>The documented request bodies of the fleet endpoints.</summary>
public static class FleetRequests
{
    public sealed record Window(string Start, string End, string? TimeZone);

    public sealed record StartCampaign(
        string Kind, string? Hosts, IReadOnlyList<string>? Volumes, string? Size, int? ChunkBytes, string? Of, bool Upgrade, bool Health,
        int Canary, string? WaveSize, int MaxInFlight, string? FailureBudget, bool AutoRollback, string? StepTimeout, Window? Window);

    public sealed record AddPolicy(
        string Name, string Cron, string Hosts, IReadOnlyList<string> Volumes, string Size, string? TimeZone, int? ChunkBytes, int Keep, string? MaxAge);
}
