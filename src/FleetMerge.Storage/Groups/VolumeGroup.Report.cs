namespace FleetMerge.Storage.Groups;

/// <summary>The lvs view: facts gathered under the lock, rows computed by <see cref="LvReport.Of"/>.</summary>
public sealed partial class VolumeGroup
{
    public IReadOnlyList<LvReport> Report()
    {
        lock (gate) return metadata.Volumes.Select(v => LvReport.Of(metadata.Name, FactsOf(v))).ToList();
    }

    public LvReport Report(string name)
    {
        lock (gate) return LvReport.Of(metadata.Name, FactsOf(Find(name)));
    }

    /// <summary>COW use of every active snapshot (an inactive one has no open store to ask), by snapshot name.</summary>
    public IReadOnlyList<CowUse> CowUses()
    {
        lock (gate)
        {
            var uses = new List<CowUse>();
            foreach (var volume in metadata.Volumes.Where(v => v.Kind == VolumeKind.Snapshot).OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                var origin = metadata.OriginOf(volume);
                if (!families.TryGetValue(origin.Uuid, out var family) || !family.Snapshots.TryGetValue(volume.Uuid, out var snapshot)) continue;
                var usage = snapshot.Store.Usage();
                uses.Add(new CowUse(metadata.Name, volume.Name, origin.Name,
                    usage.AllocatedSectors << Format.Sectors.Shift, usage.TotalSectors << Format.Sectors.Shift, usage.Valid));
            }
            return uses;
        }
    }

    private VolumeFacts FactsOf(VolumeRecord volume)
    {
        var origin = metadata.OriginOf(volume);
        var family = families.GetValueOrDefault(origin.Uuid);
        var merging = metadata.MergingSnapshotOf(origin.Uuid);
        bool snapshot = volume.Kind == VolumeKind.Snapshot;
        bool involved = merging is not null && (volume.Uuid == merging.Uuid || volume.Uuid == origin.Uuid);
        var merge = involved ? family?.Merge : null;
        var store = snapshot && family is not null && family.Snapshots.TryGetValue(volume.Uuid, out var s) ? s.Store : null;
        return new VolumeFacts(
            volume,
            OriginName: snapshot ? origin.Name : null,
            HasSnapshots: !snapshot && metadata.SnapshotsOf(volume.Uuid).Any(),
            MergeRequested: snapshot ? volume.Merge is not null : merging is not null,
            Active: family is not null,
            OpenCount: family?.OpenCount(volume.Uuid) ?? 0,
            Invalid: store is { IsValid: false },
            MergeFailed: merge is { Failed: true },
            DataPercent: store?.Usage().DataPercent,
            MergePercent: merge?.Progress.Percent);
    }
}
