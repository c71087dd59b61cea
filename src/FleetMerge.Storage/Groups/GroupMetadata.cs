using System.Text.Json.Serialization;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// The volume group's metadata (LVM's VG metadata text): its identity, a sequence number bumped
/// by every commit, and the volumes. Immutable: a change is a new value committed as a whole.
/// </summary>
public sealed record GroupMetadata(string Format, int Version, string Name, string Uuid, long Seqno, IReadOnlyList<VolumeRecord> Volumes)
{
    public const string FormatName = "fleetmerge-vg";
    public const int CurrentVersion = 1;

    public static GroupMetadata New(string name) => new(FormatName, CurrentVersion, name, LvmUuid.New(), 1, []);

    public VolumeRecord? Find(string name) => Volumes.FirstOrDefault(v => v.Name == name);

    public VolumeRecord? FindUuid(string uuid) => Volumes.FirstOrDefault(v => v.Uuid == uuid);

    public IEnumerable<VolumeRecord> SnapshotsOf(string originUuid) =>
        Volumes.Where(v => v.Kind == VolumeKind.Snapshot && v.OriginUuid == originUuid);

    [JsonIgnore] // derived, not stored
    public IEnumerable<VolumeRecord> Origins => Volumes.Where(v => v.Kind == VolumeKind.Origin);

    /// <summary>The origin of a snapshot; an origin is its own.</summary>
    public VolumeRecord OriginOf(VolumeRecord volume) =>
        volume.Kind == VolumeKind.Origin
            ? volume
            : FindUuid(volume.OriginUuid!) ?? throw new GroupMetadataException($"{Name}/{volume.Name}: its origin {volume.OriginUuid} is not in the group");

    /// <summary>The snapshot of an origin with a merge requested (pending or started), if any.</summary>
    public VolumeRecord? MergingSnapshotOf(string originUuid) => SnapshotsOf(originUuid).FirstOrDefault(s => s.Merge is not null);

    public GroupMetadata Add(VolumeRecord volume) => this with { Volumes = [.. Volumes, volume] };

    /// <summary>Replaces the volume whose UUID is <paramref name="uuid"/> (the new record may carry another UUID).</summary>
    public GroupMetadata Replace(string uuid, VolumeRecord volume) =>
        this with { Volumes = Volumes.Select(v => v.Uuid == uuid ? volume : v).ToArray() };

    public GroupMetadata Remove(string uuid) => this with { Volumes = Volumes.Where(v => v.Uuid != uuid).ToArray() };
}
