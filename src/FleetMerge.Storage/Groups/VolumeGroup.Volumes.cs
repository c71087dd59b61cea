using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Groups;

/// <summary>Creating, removing and renaming volumes (lvcreate, lvcreate -s, lvremove, lvrename).</summary>
public sealed partial class VolumeGroup
{
    /// <summary>Creates an origin (a plain volume until it has snapshots): a sparse, zeroed image. Inactive until activated.</summary>
    public void CreateOrigin(string name, long sizeBytes)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            VolumeNames.ValidateVolume(name);
            SizeRules.CheckSize(sizeBytes, "volume");
            var volume = NewRecord(name, VolumeKind.Origin, sizeBytes);
            directory.Create(volume.File, sizeBytes).Dispose();
            try { Commit(metadata.Add(volume)); }
            catch
            {
                directory.Delete(volume.File);
                throw;
            }
        }
    }

    /// <summary>
    /// Creates a snapshot of <paramref name="origin"/>: a COW of <paramref name="cowBytes"/> formatted
    /// with <paramref name="chunkBytes"/>, recorded, then attached if the origin is active (the
    /// snapshot's point in time). A snapshot is active exactly when its origin is.
    /// </summary>
    public void CreateSnapshot(string origin, string name, long cowBytes, int chunkBytes = Format.ChunkGeometry.DefaultChunkBytes)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            VolumeNames.ValidateVolume(name);
            var originRecord = Find(origin);
            if (originRecord.Kind != VolumeKind.Origin)
                throw new BadRequestException($"cannot snapshot {Display(origin)}: it is a snapshot (snapshots of snapshots are not supported)");
            var geometry = SizeRules.CheckSnapshot(cowBytes, chunkBytes);
            MergeRules.CheckNewSnapshot(Display(origin), metadata.MergingSnapshotOf(originRecord.Uuid) is { } m ? Display(m.Name) : null);
            var family = families.GetValueOrDefault(originRecord.Uuid);
            if (family is { Deactivating: true }) throw new VolumeBusyException($"{Display(origin)} is being deactivated");
            var volume = NewRecord(name, VolumeKind.Snapshot, cowBytes) with { OriginUuid = originRecord.Uuid, ChunkBytes = chunkBytes };
            var cow = directory.Create(volume.File, cowBytes);
            ExceptionStore store;
            try { store = ExceptionStore.Format(cow, geometry, ownsCow: true); }
            catch
            {
                cow.Dispose();
                directory.Delete(volume.File);
                throw;
            }
            try { Commit(metadata.Add(volume)); }
            catch
            {
                store.Dispose();
                directory.Delete(volume.File);
                throw;
            }
            if (family is null) store.Dispose();
            else family.Attach(volume.Uuid, store);
        }
    }

    /// <summary>
    /// Removes a volume and deletes its file: a snapshot is detached first (a pending merge request
    /// goes with it); an origin must have no snapshots. An active, unopened volume is deactivated.
    /// </summary>
    public void Remove(string name)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            var volume = Find(name);
            var family = FamilyOf(volume);
            if (family is { Deactivating: true }) throw new VolumeBusyException($"{Display(name)} is being deactivated");
            bool invalid = volume.Kind == VolumeKind.Snapshot && family is not null && !family.Snapshots[volume.Uuid].Store.IsValid;
            var snapshots = metadata.SnapshotsOf(volume.Uuid).Select(s => Display(s.Name)).ToList();
            VolumeRules.CheckRemove(Display(name), volume.Kind, family?.OpenCount(volume.Uuid) ?? 0, snapshots, volume.Merge, invalid);
            Commit(metadata.Remove(volume.Uuid));
            if (family is not null)
            {
                if (volume.Kind == VolumeKind.Snapshot)
                {
                    family.Detach(volume.Uuid);
                    family.Volumes.Remove(volume.Uuid);
                    if (family.Merge?.SnapshotUuid == volume.Uuid) family.Merge = null; // an invalid merging snapshot never ran
                }
                else
                {
                    family.Dispose();
                    families.Remove(volume.Uuid);
                }
            }
            directory.Discard(volume.File);
        }
    }

    /// <summary>Renames a volume; its UUID and minor stay, open sessions go on, its file follows the name.</summary>
    public void Rename(string name, string newName)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            VolumeNames.ValidateVolume(newName);
            var volume = Find(name);
            if (name == newName) return;
            if (metadata.Find(newName) is not null) throw new VolumeExistsException($"{Display(newName)}: a volume of that name exists");
            CheckNoStrayFile(newName, volume.Kind);
            Commit(metadata.Replace(volume.Uuid, volume with { Name = newName }));
            TidyFiles();
        }
    }

    private VolumeRecord NewRecord(string name, VolumeKind kind, long sizeBytes)
    {
        if (metadata.Find(name) is not null) throw new VolumeExistsException($"{Display(name)}: a volume of that name exists");
        CheckNoStrayFile(name, kind);
        return new VolumeRecord(name, LvmUuid.New(), Minors.Lowest(metadata.Volumes.Select(v => v.Minor)), kind, sizeBytes,
            VolumeFiles.For(name, kind));
    }

    /// <summary>A file of that name that no volume records is left by an interrupted create or remove; never overwrite it.</summary>
    private void CheckNoStrayFile(string name, VolumeKind kind)
    {
        string file = VolumeFiles.For(name, kind);
        if (directory.Exists(file))
            throw new VolumeExistsException(
                $"{Display(name)}: {directory.PathOf(file)} exists but " +
                (metadata.Volumes.Any(v => v.File == file) ? "belongs to another volume" : "belongs to no volume (left by an interrupted create or remove?); remove it first"));
    }
}
