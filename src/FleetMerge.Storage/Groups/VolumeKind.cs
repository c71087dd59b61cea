using System.Text.Json.Serialization;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// What a volume is. A plain volume is an origin without snapshots: taking its first snapshot
/// changes nothing about it but the report.
/// </summary>
public enum VolumeKind
{
    [JsonStringEnumMemberName("origin")] Origin,
    [JsonStringEnumMemberName("snapshot")] Snapshot,
}
