using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// Merges (lvconvert --merge) and what the group does when one ends.
/// <para>
/// Identities under namesnapshot: the switch is visible at the start and recorded at the end.
/// From the start the snapshot's name, UUID and minor serve the merging origin's data — which is
/// exactly what the snapshot's users were seeing, so open snapshot sessions carry on (LVM's
/// intent: the snapshot's users keep using it) — and the origin's identity refuses opens (it was
/// closed at the start and is going away). The metadata keeps both records until the merge ends;
/// then one commit gives the origin record the snapshot's name, UUID and minor and drops the
/// snapshot record, and the image file is renamed to &lt;snapshot&gt;.img. Switching the records
/// at the start instead would leave the merging COW without a name of its own in the metadata
/// for the whole merge, and a crash could then not tell the two apart.
/// </para>
/// </summary>
public sealed partial class VolumeGroup
{
    /// <summary>
    /// Requests a merge of <paramref name="snapshot"/> into its origin. Returns the started merge
    /// (run it), or null when the merge waits for the next activation (onactivate, or the origin
    /// is inactive). Refusals are <see cref="MergeRuleException"/>s.
    /// </summary>
    public GroupMerge? Merge(string snapshot, MergeMode mode = MergeMode.NameOrigin)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            var volume = Find(snapshot);
            if (volume.Kind != VolumeKind.Snapshot)
                throw new MergeRuleException($"{Display(snapshot)} is not a snapshot; only a snapshot merges into its origin");
            var origin = metadata.OriginOf(volume);
            var family = families.GetValueOrDefault(origin.Uuid);
            if (family is { Deactivating: true }) throw new VolumeBusyException($"{Display(origin.Name)} is being deactivated");
            var merging = metadata.MergingSnapshotOf(origin.Uuid);
            var candidate = new MergeCandidate(
                Display(volume.Name), Display(origin.Name), mode,
                SnapshotValid: IsValid(volume, family),
                OriginActive: family is not null,
                OriginOpenCount: family?.OpenCount(origin.Uuid) ?? 0,
                SnapshotOpenCount: family?.OpenCount(volume.Uuid) ?? 0,
                SnapshotsOfOrigin: metadata.SnapshotsOf(origin.Uuid).Count(),
                MergingSnapshot: merging is null ? null : Display(merging.Name));
            var mark = new MergeMark(mode, Started: false);
            if (MergeRules.Check(candidate) == MergeTiming.OnActivation)
            {
                Commit(metadata.Replace(volume.Uuid, volume with { Merge = mark }));
                return null;
            }
            return StartMerge(family!, volume, mark);
        }
    }

    /// <summary>The merge started on the volume's origin, if any.</summary>
    public GroupMerge? MergeOf(string name)
    {
        lock (gate) return FamilyOf(Find(name))?.Merge;
    }

    /// <summary>
    /// Records the merge as started, then turns the origin into a merge target; if the engine
    /// refuses, the record goes back. Persisting first is what makes a crash right after the start
    /// resume at the next activation. Caller holds the lock.
    /// </summary>
    private GroupMerge StartMerge(ActiveFamily family, VolumeRecord snapshot, MergeMark mark)
    {
        var before = metadata;
        var engineSnapshot = family.Snapshots[snapshot.Uuid];
        var started = mark with { Started = true, InitialExceptions = mark.InitialExceptions ?? engineSnapshot.Store.RemainingExceptions };
        if (snapshot.Merge != started) Commit(metadata.Replace(snapshot.Uuid, snapshot with { Merge = started }));
        SnapshotMerge engine;
        try { engine = SnapshotMerge.Start(engineSnapshot, started.InitialExceptions); }
        catch (StorageException)
        {
            if (!ReferenceEquals(metadata, before))
            {
                try { Commit(before); }
                catch (StorageException) { } // the next activation meets the same refusal
            }
            throw;
        }
        if (started.Mode.ResultTakesSnapshotIdentity()) family.Volumes[snapshot.Uuid].Device = family.OriginDevice;
        var merge = new GroupMerge(this, engine, snapshot, metadata.FindUuid(family.OriginUuid)!, started);
        family.Merge = merge;
        return merge;
    }

    /// <summary>
    /// The end of a merge whose table is empty (the engine has detached the snapshot and the
    /// origin does plain I/O again, still open): commit the metadata without the snapshot — under
    /// namesnapshot with the origin carrying the snapshot's identity — close the COW and discard it
    /// (a rename; its blocks are freed in the background), rename the image if the name changed. A crash before the commit finishes again at the next
    /// activation (an empty table merges at once); after it, at worst a stray COW file is left.
    /// </summary>
    internal void FinishMerge(GroupMerge merge)
    {
        lock (gate)
        {
            var snapshot = metadata.FindUuid(merge.SnapshotUuid);
            var origin = metadata.FindUuid(merge.OriginUuid);
            if (snapshot is null || origin is null || !families.TryGetValue(origin.Uuid, out var family)) return;
            if (merge.Mode.ResultTakesSnapshotIdentity())
            {
                var survivor = origin with { Name = snapshot.Name, Uuid = snapshot.Uuid, Minor = snapshot.Minor };
                Commit(metadata.Remove(snapshot.Uuid).Replace(origin.Uuid, survivor));
                family.Detach(snapshot.Uuid);
                // The snapshot's live volume (its sessions, its open count) is the survivor's now;
                // the origin's had to be closed since the start.
                family.Volumes.Remove(origin.Uuid);
                family.OriginUuid = snapshot.Uuid;
                families.Remove(origin.Uuid);
                families[snapshot.Uuid] = family;
            }
            else
            {
                Commit(metadata.Remove(snapshot.Uuid));
                family.Detach(snapshot.Uuid);
                family.Volumes.Remove(snapshot.Uuid);
            }
            family.Merge = null;
            directory.Discard(snapshot.File); // the blocks are freed in the background: the merge is over once the metadata says so
            TidyFiles();
        }
    }

    /// <summary>An active snapshot's store says; an inactive one's COW header does.</summary>
    private bool IsValid(VolumeRecord snapshot, ActiveFamily? family)
    {
        if (family is not null) return family.Snapshots[snapshot.Uuid].Store.IsValid;
        using var cow = directory.OpenForInspection(snapshot.File);
        return Store.ExceptionStore.ReadHeader(cow).IsValid;
    }
}
