using FleetMerge.Storage;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host;

/// <summary>A snapshot as the group's metadata records it, with its merge mark (LVM's merging_store).</summary>
public sealed record DiskSnapshot(string Name, string Uuid, int Minor, long CowBytes, int ChunkBytes, string? MergeMode, bool MergeStarted, long? InitialExceptions);

/// <summary>The merge the group has started on the origin (a GroupMerge), with the engine's progress.</summary>
/// <param name="EngineState">started (not running yet), running, completed, failed, stopped.</param>
public sealed record DiskMerge(string SnapshotUuid, string EngineState, long InitialExceptions, long RemainingExceptions, string Status)
{
    public double Percent => InitialExceptions <= 0 ? 100.0 : 100.0 * (InitialExceptions - RemainingExceptions) / InitialExceptions;
}

/// <summary>One origin family as the disk has it right now: the group's metadata plus the live merge, if any.</summary>
/// <param name="Origin">Null when the origin is not in the group (removed).</param>
public sealed record DiskView(
    string Vg,
    string VgUuid,
    DiskSnapshot? Origin,
    IReadOnlyList<DiskSnapshot> Snapshots,
    bool Active,
    DiskMerge? Merge)
{
    /// <summary>Reads the family of origin <paramref name="originUuid"/> from the group (its lock is taken per call; nothing is changed).</summary>
    public static DiskView Read(VolumeGroup group, string originUuid) => Read(group, originUuid, attempts: 3);

    private static DiskView Read(VolumeGroup group, string originUuid, int attempts)
    {
        var metadata = group.Metadata;
        var origin = metadata.FindUuid(originUuid);
        if (origin is null || origin.Kind != VolumeKind.Origin)
            return new DiskView(metadata.Name, metadata.Uuid, null, [], false, null);
        var snapshots = metadata.SnapshotsOf(origin.Uuid).Select(Of).ToList();
        bool active;
        GroupMerge? merge;
        try
        {
            active = group.IsActive(origin.Name);
            merge = group.MergeOf(origin.Name);
        }
        catch (VolumeNotFoundException) when (attempts > 1)
        {
            // Renamed or removed between the metadata read and now: read again.
            return Read(group, originUuid, attempts - 1);
        }
        DiskMerge? live = null;
        if (merge is not null && metadata.MergingSnapshotOf(origin.Uuid) is { } merging)
        {
            var progress = merge.Progress;
            live = new DiskMerge(merging.Uuid, EngineState(merge.State), progress.InitialExceptions, progress.RemainingExceptions, progress.Status);
        }
        return new DiskView(metadata.Name, metadata.Uuid, Of(origin), snapshots, active, live);
    }

    private static DiskSnapshot Of(VolumeRecord v) =>
        new(v.Name, v.Uuid, v.Minor, v.SizeBytes, v.ChunkBytes ?? 0, v.Merge?.Mode.Name(), v.Merge?.Started ?? false, v.Merge?.InitialExceptions);

    public static string EngineState(GroupMergeState state) => state switch
    {
        GroupMergeState.Started => "started",
        GroupMergeState.Running => "running",
        GroupMergeState.Completed => "completed",
        GroupMergeState.Failed => "failed",
        GroupMergeState.Stopped => "stopped",
        _ => state.ToString().ToLowerInvariant(),
    };
}
