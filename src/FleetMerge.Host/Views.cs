using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host;

/// <summary>Engine and journal values as the API shows them (pure).</summary>
public static class Views
{
    public static LvRow Row(LvReport r) =>
        new(r.Lv, r.Vg, r.Attr, r.LSize, r.Origin, Round(r.DataPercent), Round(r.MergePercent), r.Uuid, r.Minor);

    public static MergeState Merge(string vg, MergeEntry m) => new(
        vg,
        m.Snapshot,
        m.Origin,
        m.Mode,
        PhaseName(m.Phase),
        Math.Round(m.Percent, 2),
        m.Phase == MergePhase.Complete ? Math.Max(m.InitialExceptions, m.MergedExceptions) : m.MergedExceptions,
        m.InitialExceptions,
        m.Status,
        m.SnapshotRemoved,
        m.Error);

    public static string PhaseName(MergePhase phase) => phase switch
    {
        MergePhase.Pending => "pending",
        MergePhase.Running => "running",
        MergePhase.Complete => "complete",
        MergePhase.Failed => "failed",
        MergePhase.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    public static VgInfo Vg(VolumeGroup group)
    {
        var rows = group.Report();
        return new VgInfo(group.Name, group.Uuid, rows.Count, rows.Count(r => r.Attr.Length > 4 && r.Attr[4] != '-'));
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
