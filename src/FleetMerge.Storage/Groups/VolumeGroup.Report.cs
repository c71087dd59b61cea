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
