namespace FleetMerge.Protocol.Volumes;

/// <summary>The volume actor's Akka snapshot states (SaveSnapshot every N events, to bound recovery).</summary>
public interface IVolumeSnapshotState : IPersistedSnapshot;

/// <summary>Where a merge is, as the journal (and, while it runs, the actor's memory) knows it.</summary>
public enum MergePhase
{
    /// <summary>Requested; waits for the group or the next activation.</summary>
    Pending,
    /// <summary>The origin is a merge target and the copy runs (or is about to).</summary>
    Running,
    /// <summary>Done: the snapshot is gone.</summary>
    Complete,
    /// <summary>Stopped on an I/O error; the next activation retries.</summary>
    Failed,
    /// <summary>Stopped by a deactivation; the next activation resumes.</summary>
    Stopped,
}

public sealed record SnapshotEntry(string Name, string Uuid, int Minor, long CowBytes, int ChunkBytes);

/// <summary>The latest merge of one snapshot (kept after completion, so a poll still says complete).</summary>
public sealed record MergeEntry(
    string SnapshotUuid,
    string Snapshot,
    string Origin,
    string Mode,
    MergePhase Phase,
    long InitialExceptions,
    long RemainingExceptions,
    string Status,
    bool SnapshotRemoved,
    string? Error,
    DateTimeOffset? At)
{
    public long MergedExceptions => Math.Max(0, InitialExceptions - RemainingExceptions);

    /// <summary>As the engine counts it: 100 when there was nothing to merge.</summary>
    public double Percent => Phase == MergePhase.Complete ? 100.0
        : InitialExceptions <= 0 ? 0.0
        : 100.0 * MergedExceptions / InitialExceptions;
}

/// <summary>
/// One origin family as its journal knows it: the origin's identity, its snapshots, whether it is
/// active, and the latest merge per snapshot. Empty (no <see cref="OriginUuid"/>) before the first event.
/// </summary>
public sealed record VolumeState(
    string Vg,
    string VgUuid,
    string Origin,
    string OriginUuid,
    int OriginMinor,
    long OriginSizeBytes,
    bool Active,
    bool Removed,
    IReadOnlyList<SnapshotEntry> Snapshots,
    IReadOnlyList<MergeEntry> Merges) : IVolumeSnapshotState
{
    public static VolumeState Empty { get; } = new("", "", "", "", 0, 0, false, false, [], []);

    /// <summary>The journal has a VolumeCreated and no VolumeRemoved after it.</summary>
    public bool Exists => OriginUuid.Length > 0 && !Removed;

    public SnapshotEntry? Snapshot(string uuid) => Snapshots.FirstOrDefault(s => s.Uuid == uuid);

    public MergeEntry? Merge(string snapshotUuid) => Merges.FirstOrDefault(m => m.SnapshotUuid == snapshotUuid);

    /// <summary>The latest merge of the snapshot called <paramref name="name"/> (its name then or now).</summary>
    public MergeEntry? MergeByName(string name) => Merges.LastOrDefault(m => m.Snapshot == name);
}
