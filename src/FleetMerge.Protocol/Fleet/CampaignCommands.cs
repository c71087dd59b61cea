namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// What the API (or the policy scheduler) asks the coordinator about campaigns. Replies are the
/// records in CampaignViews.cs, or <c>Status.Failure</c> with a <see cref="FleetRequestException"/>
/// (the API maps its <see cref="FleetRequestException.Kind"/> to 400/404/409).
/// </summary>
public interface ICampaignCommand : IWireMessage;

/// <summary>What to run, where, and how carefully.</summary>
/// <param name="Kind">snapshot, rollback or commit (<see cref="CampaignKinds"/>).</param>
/// <param name="Hosts">Host selector: "all", or comma-separated terms that must all hold: key=value, key=v1|v2, key!=value, host=glob.</param>
/// <param name="Volumes">Origins as "VG/LV" (snapshot campaigns; rollback/commit of a campaign take its volumes).</param>
/// <param name="Size">COW size per snapshot: "200M", "1G" or "20%" of the origin (snapshot campaigns).</param>
/// <param name="ChunkBytes">Chunk size of the snapshots (snapshot campaigns).</param>
/// <param name="Of">Rollback/commit: the snapshot campaign whose hosts and snapshots they act on (instead of Hosts + Volumes).</param>
/// <param name="Upgrade">Snapshot campaigns: run the upgrade hook after the snapshot.</param>
/// <param name="Health">Snapshot campaigns: run the health hook after the upgrade (rollback campaigns always check health after the merge).</param>
/// <param name="Canary">Hosts in the first wave (0 = no canary wave).</param>
/// <param name="WaveSize">Hosts per later wave: a count ("10") or a percentage of the campaign's hosts ("25%").</param>
/// <param name="MaxInFlight">Most hosts working at once within a wave (0 = the whole wave).</param>
/// <param name="FailureBudget">Failed hosts the campaign tolerates: a count ("2") or a percentage ("10%"); one more halts it (state failed).</param>
/// <param name="AutoRollback">Snapshot campaigns: when halted, start a rollback campaign of the failed hosts at once.</param>
/// <param name="StepTimeout">Longest a host may take for one step.</param>
/// <param name="Window">Optional maintenance window: steps start only inside it (see <see cref="MaintenanceWindowSpec"/>).</param>
/// <param name="Policy">Set when a policy started the campaign.</param>
public sealed record CampaignSpec(
    string Kind,
    string Hosts,
    IReadOnlyList<string> Volumes,
    string? Size,
    int ChunkBytes,
    string? Of,
    bool Upgrade,
    bool Health,
    int Canary,
    string WaveSize,
    int MaxInFlight,
    string FailureBudget,
    bool AutoRollback,
    TimeSpan StepTimeout,
    MaintenanceWindowSpec? Window,
    string? Policy);

/// <summary>A daily window: steps start between <see cref="Start"/> and <see cref="End"/> (local time of <see cref="TimeZone"/>, IANA id); End before Start spans midnight.</summary>
public sealed record MaintenanceWindowSpec(TimeOnly Start, TimeOnly End, string TimeZone);

public static class CampaignKinds
{
    public const string Snapshot = "snapshot";
    public const string Rollback = "rollback";
    public const string Commit = "commit";

    public static readonly IReadOnlyList<string> All = [Snapshot, Rollback, Commit];
}

/// <summary>Campaign states as `campaign status --json` shows them.</summary>
public static class CampaignStates
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Aborted = "aborted";
    public const string Failed = "failed";
}

/// <summary>Per-host outcomes as `campaign status --json` shows them.</summary>
public static class HostOutcomes
{
    /// <summary>Not started yet (its wave has not come, or the campaign is paused).</summary>
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>Never started: the campaign was aborted or halted before the host's turn.</summary>
    public const string Skipped = "skipped";
}

/// <summary>Starts a campaign; replies <see cref="CampaignAccepted"/>.</summary>
/// <param name="RequestKey">
/// Makes the start idempotent: a second start with the key of a campaign already opened is answered with
/// that campaign instead of a new one (a policy's scheduler retries its run after a crash with the same key).
/// </param>
public sealed record StartCampaign(CampaignSpec Spec, string RequestedBy, string? RequestKey = null) : ICampaignCommand;

public sealed record CampaignAccepted(string Id, int Hosts) : IWireMessage;

public sealed record ListCampaigns : ICampaignCommand
{
    public static readonly ListCampaigns Instance = new();
}

/// <summary>Replies <see cref="CampaignView"/>.</summary>
public sealed record GetCampaign(string Id) : ICampaignCommand;

/// <summary>Pause, resume or abort; replies the <see cref="CampaignView"/> after the change.</summary>
public sealed record PauseCampaign(string Id) : ICampaignCommand;

public sealed record ResumeCampaign(string Id) : ICampaignCommand;

public sealed record AbortCampaign(string Id) : ICampaignCommand;

/// <summary>A request the coordinator refuses: <see cref="Kind"/> is bad-request, not-found or conflict.</summary>
/// <remarks>
/// It crosses nodes inside <c>Status.Failure</c> (the coordinator may run elsewhere than the API);
/// Akka.Remote rebuilds exceptions through the ISerializable constructor, so <see cref="Kind"/> is
/// written into the SerializationInfo and read back from it.
/// </remarks>
[Serializable]
public sealed class FleetRequestException : Exception
{
    public const string BadRequest = "bad-request";
    public const string NotFound = "not-found";
    public const string Conflict = "conflict";

    public FleetRequestException(string kind, string message) : base(message) => Kind = kind;

#pragma warning disable SYSLIB0051 // the formatter-style constructor is how Akka.Remote rebuilds exceptions
    private FleetRequestException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
        : base(info, context) => Kind = info.GetString(nameof(Kind)) ?? BadRequest;

    [Obsolete("Formatter-based serialization; kept for Akka.Remote exception transport")]
    public override void GetObjectData(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context)
    {
        base.GetObjectData(info, context);
        info.AddValue(nameof(Kind), Kind);
    }
#pragma warning restore SYSLIB0051

    public string Kind { get; }
}
