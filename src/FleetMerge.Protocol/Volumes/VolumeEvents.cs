namespace FleetMerge.Protocol.Volumes;

/// <summary>
/// The volume actor's journal (one persistent actor per origin volume, persistence id
/// <c>volume-&lt;vg uuid&gt;-&lt;origin uuid&gt;</c>): intents and milestones of the origin and its
/// snapshots, never one event per chunk. The COW table on disk stays the truth for how far a merge
/// has got; on recovery the actor reconciles these events with the disk (FleetMerge.Host.Reconciler).
/// Every type here has a ".v1" manifest in FleetMerge.Node.Serialization.PersistedManifests.
/// Snapshots and volumes are keyed by UUID (stable across renames); names are carried for the log.
/// </summary>
public interface IVolumeEvent : IPersistedEvent;

/// <summary>The origin is known to the journal: created through the API, or adopted from the disk (no journal for it).</summary>
/// <param name="How"><see cref="VolumeOrigins.Created"/> or <see cref="VolumeOrigins.Adopted"/>.</param>
public sealed record VolumeCreated(string Vg, string VgUuid, string Name, string Uuid, int Minor, long SizeBytes, string How) : IVolumeEvent;

/// <summary>A snapshot of the origin exists (taken through the API, or adopted from the disk).</summary>
public sealed record SnapshotTaken(string Name, string Uuid, int Minor, long CowBytes, int ChunkBytes, bool Adopted) : IVolumeEvent;

/// <summary>A snapshot is gone. Written before the removal (intent); also by a reconcile that finds it gone.</summary>
public sealed record SnapshotRemoved(string Name, string Uuid, string Reason) : IVolumeEvent;

/// <summary>The origin itself is removed (intent, written before the removal); the actor stops after it.</summary>
public sealed record VolumeRemoved(string Name, string Uuid, string Reason) : IVolumeEvent;

/// <summary>The origin or one of its snapshots (by UUID) has a new name.</summary>
public sealed record VolumeRenamed(string Uuid, string OldName, string NewName) : IVolumeEvent;

/// <summary>The family (origin and snapshots) was activated or deactivated.</summary>
public sealed record ActivationChanged(bool Active, string Reason) : IVolumeEvent;

/// <summary>A merge of the snapshot into the origin was requested (intent, written before the group is asked).</summary>
/// <param name="Mode">nameorigin, namesnapshot or onactivate.</param>
public sealed record MergeRequested(string SnapshotUuid, string Snapshot, string Mode, bool Adopted) : IVolumeEvent;

/// <summary>The merge mark is on disk but the merge waits for the next activation (onactivate, or the origin was inactive).</summary>
public sealed record MergeMarkedOnActivate(string SnapshotUuid, string Snapshot, string Mode, string Reason) : IVolumeEvent;

/// <summary>The origin became a merge target (the copy runs from now on), first time or resumed after a restart or deactivation.</summary>
public sealed record MergeStarted(
    string SnapshotUuid, string Snapshot, string Mode, long InitialExceptions, long RemainingExceptions, string Status, bool Resumed, DateTimeOffset At) : IVolumeEvent;

/// <summary>A progress checkpoint: at most one per percent or every few seconds, never one per chunk.</summary>
public sealed record MergeProgressed(string SnapshotUuid, long InitialExceptions, long RemainingExceptions, string Status, DateTimeOffset At) : IVolumeEvent;

/// <summary>
/// The merge ended: the table is empty and the snapshot is gone. The survivor is the merged
/// volume (the origin's identity, or the snapshot's under namesnapshot).
/// </summary>
/// <param name="FoundOnDisk">Recorded by a reconcile: the disk had finished while the journal only knew the start.</param>
public sealed record MergeCompleted(
    string SnapshotUuid, string Snapshot, long InitialExceptions, string SurvivorName, string SurvivorUuid, int SurvivorMinor, bool FoundOnDisk, DateTimeOffset At) : IVolumeEvent;

/// <summary>The merge stopped on an I/O error ("Merge failed"); the next activation retries it.</summary>
public sealed record MergeFailed(string SnapshotUuid, string Error, DateTimeOffset At) : IVolumeEvent;

/// <summary>The merge stopped (deactivation, or not running after a node start); the next activation resumes it.</summary>
public sealed record MergeStopped(string SnapshotUuid, string Reason, DateTimeOffset At) : IVolumeEvent;

/// <summary>A requested merge never took effect (refused by the group, or the mark is not on disk).</summary>
public sealed record MergeCancelled(string SnapshotUuid, string Reason) : IVolumeEvent;

public static class VolumeOrigins
{
    public const string Created = "created";
    public const string Adopted = "adopted";
}
