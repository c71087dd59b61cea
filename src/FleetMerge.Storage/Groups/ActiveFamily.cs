using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// An active origin with all its snapshots: the unit of activation, as in LVM, where activating
/// a snapshot activates its origin and every sibling (they share the origin's write path).
/// Owns the engine objects and their files while active.
/// </summary>
internal sealed class ActiveFamily : IDisposable
{
    private ActiveFamily(string originUuid, Origin origin)
    {
        OriginUuid = originUuid;
        Origin = origin;
        OriginDevice = new OriginDevice(origin);
        Volumes[originUuid] = new LiveVolume(OriginDevice);
    }

    /// <summary>Changes when a namesnapshot merge completes: the origin then carries the snapshot's UUID.</summary>
    public string OriginUuid { get; set; }

    public Origin Origin { get; }
    public OriginDevice OriginDevice { get; }

    /// <summary>Snapshot engine objects by snapshot UUID.</summary>
    public Dictionary<string, Snapshot> Snapshots { get; } = new();

    /// <summary>The origin's and the snapshots' live volumes by UUID.</summary>
    public Dictionary<string, LiveVolume> Volumes { get; } = new();

    /// <summary>The merge started on this origin, if any.</summary>
    public GroupMerge? Merge { get; set; }

    /// <summary>Set while a deactivation stops the merge; opens and changes are refused meanwhile.</summary>
    public bool Deactivating { get; set; }

    /// <summary>Opens the origin image and every COW and attaches the snapshots, or opens nothing.</summary>
    public static ActiveFamily Open(GroupDirectory directory, VolumeRecord origin, IEnumerable<VolumeRecord> snapshots)
    {
        var data = directory.Open(origin.File);
        var family = new ActiveFamily(origin.Uuid, new Origin(data, ownsData: true));
        try
        {
            foreach (var snapshot in snapshots)
            {
                var cow = directory.Open(snapshot.File);
                ExceptionStore store;
                try { store = OpenStore(cow); }
                catch
                {
                    cow.Dispose();
                    throw;
                }
                family.Attach(snapshot.Uuid, store);
            }
        }
        catch
        {
            family.Dispose();
            throw;
        }
        return family;
    }

    /// <summary>
    /// Opens a COW the group formatted when it created the snapshot. The engine's read-write open
    /// formats a blank store; here a blank header means the COW was overwritten, and formatting it
    /// would turn a half-done merge into an empty, "finished" one. So it is refused instead.
    /// </summary>
    private static ExceptionStore OpenStore(IBlockFile cow)
    {
        if (ExceptionStore.ReadHeader(cow).IsBlank)
            throw new StoreFormatException($"{cow.Name}: the COW header is blank; the snapshot store was overwritten");
        return ExceptionStore.Open(cow, StoreOpenMode.ReadWrite, ownsCow: true);
    }

    public void Attach(string uuid, ExceptionStore store)
    {
        Snapshot snapshot;
        try { snapshot = Origin.Attach(store); }
        catch
        {
            store.Dispose();
            throw;
        }
        Snapshots[uuid] = snapshot;
        Volumes[uuid] = new LiveVolume(new SnapshotDevice(snapshot));
    }

    /// <summary>Detaches a snapshot (a merge that completed has already done so) and closes its COW.</summary>
    public void Detach(string uuid)
    {
        if (!Snapshots.Remove(uuid, out var snapshot)) return;
        Origin.Detach(snapshot);
        snapshot.Store.Dispose();
    }

    public int OpenCount(string uuid) => Volumes.TryGetValue(uuid, out var live) ? live.OpenCount : 0;

    public int TotalOpenCount => Volumes.Values.Sum(v => v.OpenCount);

    public void Flush()
    {
        Origin.Flush();
        foreach (var snapshot in Snapshots.Values) snapshot.Store.Flush();
    }

    public void Dispose()
    {
        foreach (var live in Volumes.Values) live.Device = null;
        foreach (var snapshot in Snapshots.Values) snapshot.Store.Dispose();
        Origin.Dispose();
    }
}
