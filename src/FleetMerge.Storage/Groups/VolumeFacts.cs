namespace FleetMerge.Storage.Groups;

/// <summary>
/// Everything the report shows about one volume at one moment, gathered by the group; the
/// report itself is a pure function of this.
/// </summary>
/// <param name="OriginName">A snapshot's origin.</param>
/// <param name="HasSnapshots">An origin with at least one snapshot (else it is a plain volume).</param>
/// <param name="MergeRequested">A snapshot with a merge mark, or an origin one of whose snapshots has one.</param>
/// <param name="Invalid">An active snapshot whose store is invalid.</param>
/// <param name="MergeFailed">The merge this volume takes part in stopped on an I/O error.</param>
/// <param name="DataPercent">An active snapshot's COW use.</param>
/// <param name="MergePercent">A started merge's progress, on the origin and on the snapshot.</param>
public sealed record VolumeFacts(
    VolumeRecord Volume,
    string? OriginName,
    bool HasSnapshots,
    bool MergeRequested,
    bool Active,
    int OpenCount,
    bool Invalid,
    bool MergeFailed,
    double? DataPercent,
    double? MergePercent);
