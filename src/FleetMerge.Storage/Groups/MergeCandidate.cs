namespace FleetMerge.Storage.Groups;

/// <summary>
/// What the merge rules need to know about a merge request, taken from the group's state.
/// Names are shown as "vg/lv".
/// </summary>
/// <param name="OriginActive">False: nothing can be open, and the merge waits for the next activation.</param>
/// <param name="SnapshotsOfOrigin">All snapshots of the origin, this one included.</param>
/// <param name="MergingSnapshot">The origin's snapshot that already has a merge requested (this one or a sibling), if any.</param>
public sealed record MergeCandidate(
    string Snapshot,
    string Origin,
    MergeMode Mode,
    bool SnapshotValid,
    bool OriginActive,
    int OriginOpenCount,
    int SnapshotOpenCount,
    int SnapshotsOfOrigin,
    string? MergingSnapshot);

/// <summary>When an accepted merge request starts.</summary>
public enum MergeTiming
{
    /// <summary>Now: the origin turns into a merge target before the request returns.</summary>
    Now,

    /// <summary>At the next activation of the origin or its group (onactivate, or the origin is inactive).</summary>
    OnActivation,
}
