using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>
/// POST /api/v1/campaigns. Everything but <see cref="Kind"/> has a default; the coordinator
/// validates the whole (a bad field is a 400 naming it).
/// </summary>
public sealed record CampaignRequest(
    string Kind,
    string? Hosts = null,
    IReadOnlyList<string>? Volumes = null,
    string? Size = null,
    int? ChunkBytes = null,
    string? Of = null,
    bool Upgrade = false,
    bool Health = false,
    int Canary = 0,
    string? WaveSize = null,
    int MaxInFlight = 0,
    string? FailureBudget = null,
    bool AutoRollback = false,
    string? StepTimeout = null,
    WindowRequest? Window = null)
{
    public const int DefaultChunkBytes = 4096;
    public const string DefaultWaveSize = "100%";
    public const string DefaultFailureBudget = "0";
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    public CampaignSpec ToSpec() => new(
        Kind: Kind,
        Hosts: string.IsNullOrWhiteSpace(Hosts) ? "all" : Hosts,
        Volumes: Volumes ?? [],
        Size: Size,
        ChunkBytes: ChunkBytes ?? DefaultChunkBytes,
        Of: Of,
        Upgrade: Upgrade,
        Health: Health,
        Canary: Canary,
        WaveSize: WaveSize ?? DefaultWaveSize,
        MaxInFlight: MaxInFlight,
        FailureBudget: FailureBudget ?? DefaultFailureBudget,
        AutoRollback: AutoRollback,
        StepTimeout: StepTimeout is null ? DefaultStepTimeout : Durations.Parse(StepTimeout, "step_timeout"),
        Window: Window?.ToSpec(),
        Policy: null);
}

/// <summary>A daily maintenance window: "01:00" to "05:00" in an IANA time zone (default UTC).</summary>
public sealed record WindowRequest(string Start, string End, string? TimeZone = null)
{
    public MaintenanceWindowSpec ToSpec() => new(Time(Start, "window.start"), Time(End, "window.end"), TimeZone ?? "UTC");

    private static TimeOnly Time(string text, string what) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            ? t
            : throw new FleetRequestException(FleetRequestException.BadRequest, $"{what} '{text}': expected a time of day as HH:MM");
}
