namespace FleetMerge.Storage.Groups;

/// <summary>
/// One row of `lvs`: LV, VG, Attr (see <see cref="LvAttr"/>), LSize in bytes (a snapshot's COW
/// size, as lvs shows), Origin, Data% (COW use of an active snapshot), Merge% (progress of a
/// started merge, on its origin and snapshot), UUID and minor number.
/// </summary>
public sealed record LvReport(
    string Lv,
    string Vg,
    string Attr,
    long LSize,
    string? Origin,
    double? DataPercent,
    double? MergePercent,
    string Uuid,
    int Minor)
{
    public static LvReport Of(string group, VolumeFacts facts) => new(
        facts.Volume.Name,
        group,
        LvAttr.Of(facts),
        facts.Volume.SizeBytes,
        facts.OriginName,
        facts.DataPercent,
        facts.MergePercent,
        facts.Volume.Uuid,
        facts.Volume.Minor);
}
