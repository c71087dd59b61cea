using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Host;

/// <summary>
/// Event → state for the volume actor: a pure function, used for replay, for live changes and by
/// the reconcile (which applies its own corrective events to see the result).
/// </summary>
public static class VolumeStateMachine
{
    /// <summary>Completed, failed and stopped merges kept per family (the newest); running and pending ones are always kept.</summary>
    public const int KeptFinishedMerges = 32;

    public static VolumeState Apply(VolumeState state, IVolumeEvent e) => e switch
    {
        VolumeCreated c => state with
        {
            Vg = c.Vg, VgUuid = c.VgUuid, Origin = c.Name, OriginUuid = c.Uuid, OriginMinor = c.Minor, OriginSizeBytes = c.SizeBytes,
            Removed = false, Active = state.Removed ? false : state.Active,
            Snapshots = state.Removed ? [] : state.Snapshots,
        },
        SnapshotTaken t => state with
        {
            Snapshots = [.. state.Snapshots.Where(s => s.Uuid != t.Uuid), new SnapshotEntry(t.Name, t.Uuid, t.Minor, t.CowBytes, t.ChunkBytes)],
        },
        SnapshotRemoved r => state with
        {
            Snapshots = [.. state.Snapshots.Where(s => s.Uuid != r.Uuid)],
            // A request that had not started goes with its snapshot (LVM cancels it); a finished one stays for the polls.
            Merges = [.. state.Merges.Where(m => m.SnapshotUuid != r.Uuid || IsFinished(m.Phase))],
        },
        VolumeRemoved => state with { Removed = true, Active = false, Snapshots = [] },
        VolumeRenamed n when n.Uuid == state.OriginUuid => state with
        {
            Origin = n.NewName,
            Merges = [.. state.Merges.Select(m => IsFinished(m.Phase) ? m : m with { Origin = n.NewName })],
        },
        VolumeRenamed n => state with
        {
            Snapshots = [.. state.Snapshots.Select(s => s.Uuid == n.Uuid ? s with { Name = n.NewName } : s)],
            Merges = [.. state.Merges.Select(m => m.SnapshotUuid == n.Uuid && !m.SnapshotRemoved ? m with { Snapshot = n.NewName } : m)],
        },
        ActivationChanged a => state with { Active = a.Active },
        MergeRequested r => Upsert(state, new MergeEntry(r.SnapshotUuid, r.Snapshot, state.Origin, r.Mode, MergePhase.Pending, 0, 0, "", false, null, null)),
        MergeMarkedOnActivate m => Update(state, m.SnapshotUuid, m.Snapshot, m.Mode, x => x with { Phase = MergePhase.Pending, Mode = m.Mode, Error = null }),
        MergeStarted s => Update(state, s.SnapshotUuid, s.Snapshot, s.Mode, x => x with
        {
            Phase = MergePhase.Running, Mode = s.Mode, InitialExceptions = s.InitialExceptions, RemainingExceptions = s.RemainingExceptions,
            Status = s.Status, Error = null, At = s.At,
        }),
        MergeProgressed p => Update(state, p.SnapshotUuid, null, null, x => x with
        {
            Phase = x.Phase == MergePhase.Complete ? MergePhase.Complete : MergePhase.Running,
            InitialExceptions = p.InitialExceptions, RemainingExceptions = p.RemainingExceptions, Status = p.Status, Error = null, At = p.At,
        }),
        MergeCompleted c => Completed(state, c),
        MergeFailed f => Update(state, f.SnapshotUuid, null, null, x => x with { Phase = MergePhase.Failed, Error = f.Error, At = f.At }),
        MergeStopped s => Update(state, s.SnapshotUuid, null, null, x => x with { Phase = MergePhase.Stopped, At = s.At }),
        MergeCancelled c => state with { Merges = [.. state.Merges.Where(m => m.SnapshotUuid != c.SnapshotUuid)] },
        _ => throw new ArgumentException($"unknown volume event {e.GetType().Name}", nameof(e)),
    };

    public static VolumeState ApplyAll(VolumeState state, IEnumerable<IVolumeEvent> events) => events.Aggregate(state, Apply);

    /// <summary>Over for good: only a completed merge (failed and stopped ones resume at the next activation).</summary>
    public static bool IsFinished(MergePhase phase) => phase is MergePhase.Complete;

    /// <summary>The merge has begun on the device (the origin is part merged): pending is not started, complete is over.</summary>
    public static bool IsStarted(MergePhase phase) => phase is MergePhase.Running or MergePhase.Stopped or MergePhase.Failed;

    private static VolumeState Completed(VolumeState state, MergeCompleted c)
    {
        var next = Update(state, c.SnapshotUuid, c.Snapshot, null, x => x with
        {
            Phase = MergePhase.Complete, InitialExceptions = Math.Max(x.InitialExceptions, c.InitialExceptions), RemainingExceptions = 0,
            SnapshotRemoved = true, Error = null, At = c.At,
        });
        next = next with { Snapshots = [.. next.Snapshots.Where(s => s.Uuid != c.SnapshotUuid)] };
        // namesnapshot: the merged origin carries the snapshot's name, UUID and minor from now on.
        if (c.SurvivorUuid != state.OriginUuid || c.SurvivorName != state.Origin)
            next = next with { Origin = c.SurvivorName, OriginUuid = c.SurvivorUuid, OriginMinor = c.SurvivorMinor };
        return Trim(next);
    }

    private static VolumeState Upsert(VolumeState state, MergeEntry entry) =>
        Trim(state with { Merges = [.. state.Merges.Where(m => m.SnapshotUuid != entry.SnapshotUuid), entry] });

    /// <summary>Changes the snapshot's merge entry; one is made (adopted from the disk) if the journal had none.</summary>
    private static VolumeState Update(VolumeState state, string snapshotUuid, string? snapshot, string? mode, Func<MergeEntry, MergeEntry> change)
    {
        var entry = state.Merge(snapshotUuid)
            ?? new MergeEntry(snapshotUuid, snapshot ?? state.Snapshot(snapshotUuid)?.Name ?? snapshotUuid, state.Origin, mode ?? "nameorigin",
                MergePhase.Pending, 0, 0, "", false, null, null);
        var changed = change(entry);
        return state with { Merges = [.. state.Merges.Select(m => m.SnapshotUuid == snapshotUuid ? changed : m).Concat(state.Merge(snapshotUuid) is null ? [changed] : [])] };
    }

    private static VolumeState Trim(VolumeState state)
    {
        int finished = state.Merges.Count(m => m.Phase == MergePhase.Complete);
        if (finished <= KeptFinishedMerges) return state;
        var drop = state.Merges.Where(m => m.Phase == MergePhase.Complete).Take(finished - KeptFinishedMerges).ToHashSet();
        return state with { Merges = [.. state.Merges.Where(m => !drop.Contains(m))] };
    }
}
