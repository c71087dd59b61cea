namespace FleetMerge.Storage.Groups;

/// <summary>
/// The merge rules of `lvconvert --merge` (tools/lvconvert.c, lib/metadata/snapshot_manip.c and
/// the 2008 announcement) as pure functions: a refusal is a <see cref="MergeRuleException"/>.
/// A merge counts as requested from the moment its mark is written, pending or started, as
/// LVM's merging_store does: it already blocks a second merge and new snapshots of the origin.
/// </summary>
public static class MergeRules
{
    /// <summary>Accepts a merge request and says when it starts, or refuses it.</summary>
    public static MergeTiming Check(MergeCandidate c)
    {
        if (c.MergingSnapshot == c.Snapshot)
            throw new MergeRuleException($"{c.Snapshot}: a merge into {c.Origin} is already requested");
        if (c.MergingSnapshot is not null)
            throw new MergeRuleException($"cannot merge snapshot {c.Snapshot} into {c.Origin}: {c.Origin} is already merging snapshot {c.MergingSnapshot}");
        if (!c.SnapshotValid)
            throw new MergeRuleException($"cannot merge {c.Snapshot}: the snapshot is invalid");
        if (c.Mode == MergeMode.NameSnapshot && c.SnapshotsOfOrigin != 1)
            throw new MergeRuleException(
                $"cannot merge {c.Snapshot} with namesnapshot: {c.Origin} has {c.SnapshotsOfOrigin} snapshots and namesnapshot needs exactly one");
        if (c.Mode == MergeMode.OnActivate || !c.OriginActive) return MergeTiming.OnActivation;
        if (OpenConflict(c.Mode, c.Origin, c.Snapshot, c.OriginOpenCount, c.SnapshotOpenCount) is { } conflict)
            throw new MergeRuleException($"cannot merge {c.Snapshot} now: {conflict}; close it or merge with onactivate");
        return MergeTiming.Now;
    }

    /// <summary>
    /// What keeps a merge from starting right now, or null. nameorigin (and an onactivate merge,
    /// which starts as one): neither volume open — the origin's contents are about to jump back
    /// and the snapshot's device goes away. namesnapshot: the origin must be closed (its identity
    /// goes away), the snapshot may stay open (its users go on with the merging origin's data,
    /// which is what they were seeing). The same rule decides whether an activation starts a
    /// pending merge or leaves it pending (reference §11: "origin not open").
    /// </summary>
    public static string? OpenConflict(MergeMode mode, string origin, string snapshot, int originOpenCount, int snapshotOpenCount)
    {
        if (originOpenCount > 0) return $"origin {origin} is open ({Sessions(originOpenCount)})";
        if (mode != MergeMode.NameSnapshot && snapshotOpenCount > 0) return $"snapshot {snapshot} is open ({Sessions(snapshotOpenCount)})";
        return null;
    }

    /// <summary>No new snapshot of an origin with a merge requested (LVM validate_snapshot_origin).</summary>
    public static void CheckNewSnapshot(string origin, string? mergingSnapshot)
    {
        if (mergingSnapshot is not null)
            throw new MergeRuleException($"cannot snapshot {origin}: it is merging snapshot {mergingSnapshot}; wait until the merge ends");
    }

    internal static string Sessions(int count) => count == 1 ? "1 session" : $"{count} sessions";
}
