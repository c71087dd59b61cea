namespace FleetMerge.Protocol.Fleet;

/// <summary>What the API asks the coordinator about scheduled snapshot policies.</summary>
public interface IPolicyCommand : IWireMessage;

/// <summary>A scheduled snapshot policy: at every cron occurrence, a snapshot campaign over the selected hosts, then pruning.</summary>
/// <param name="Cron">Five-field cron expression (Cronos).</param>
/// <param name="TimeZone">IANA time zone the cron is read in (default UTC).</param>
/// <param name="Keep">Policy snapshots kept per origin (older ones are removed).</param>
/// <param name="MaxAge">Policy snapshots older than this are removed (null = no age limit).</param>
public sealed record PolicySpec(
    string Name, string Cron, string TimeZone, string Hosts, IReadOnlyList<string> Volumes, string Size, int ChunkBytes,
    int Keep, TimeSpan? MaxAge);

/// <summary>Replies <see cref="PolicyView"/>.</summary>
public sealed record AddPolicy(PolicySpec Spec) : IPolicyCommand;

public sealed record ListPolicies : IPolicyCommand
{
    public static readonly ListPolicies Instance = new();
}

public sealed record GetPolicy(string Name) : IPolicyCommand;

/// <summary>Replies the removed <see cref="PolicyView"/>; the policy's snapshots stay.</summary>
public sealed record RemovePolicy(string Name) : IPolicyCommand;

/// <summary>Runs the policy now (out of schedule); replies <see cref="CampaignAccepted"/>.</summary>
public sealed record RunPolicyNow(string Name) : IPolicyCommand;

/// <param name="Runs">The latest runs, newest first.</param>
public sealed record PolicyView(PolicySpec Spec, DateTimeOffset CreatedAt, DateTimeOffset? NextRun, DateTimeOffset? LastRun, IReadOnlyList<PolicyRun> Runs) : IWireMessage;

/// <summary>One run of a policy: its campaign, when it was due, and what pruning removed.</summary>
/// <param name="Missed">True when the run was due while no coordinator was up and ran when one came back.</param>
public sealed record PolicyRun(DateTimeOffset Due, DateTimeOffset StartedAt, string CampaignId, string? CampaignState, int Pruned, bool Missed);

public sealed record PolicyList(IReadOnlyList<PolicyView> Policies) : IWireMessage;
