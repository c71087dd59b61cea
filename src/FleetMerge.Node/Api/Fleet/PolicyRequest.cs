using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>POST /api/v1/policies: a scheduled snapshot policy (the coordinator validates it; a bad field is a 400 naming it).</summary>
public sealed record PolicyRequest(
    string Name,
    string Cron,
    string Hosts,
    IReadOnlyList<string> Volumes,
    string Size,
    string? TimeZone = null,
    int? ChunkBytes = null,
    int Keep = 3,
    string? MaxAge = null)
{
    public PolicySpec ToSpec() => new(
        Name, Cron, TimeZone ?? "UTC", Hosts, Volumes, Size, ChunkBytes ?? CampaignRequest.DefaultChunkBytes, Keep,
        MaxAge is null ? null : Durations.Parse(MaxAge, "max_age"));
}
