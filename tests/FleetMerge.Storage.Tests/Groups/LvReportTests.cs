using FleetMerge.Storage.Groups;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>lv_attr and the lvs row as pure functions of the facts.</summary>
public class LvReportTests
{
    private static readonly VolumeRecord Root = new("root", LvmUuid.New(), 0, VolumeKind.Origin, 1 << 20, "root.img");
    private static readonly VolumeRecord S1 = new("s1", LvmUuid.New(), 1, VolumeKind.Snapshot, 256 << 10, "s1.cow", Root.Uuid, 4096);

    private static VolumeFacts Facts(VolumeRecord v, bool hasSnapshots = false, bool merge = false, bool active = false, int open = 0,
        bool invalid = false, bool failed = false, double? data = null, double? mergePercent = null) =>
        new(v, v.Kind == VolumeKind.Snapshot ? "root" : null, hasSnapshots, merge, active, open, invalid, failed, data, mergePercent);

    public static TheoryData<string, VolumeFacts> Attrs => new()
    {
        { "-wi-------", Facts(Root) },
        { "-wi-a-----", Facts(Root, active: true) },
        { "-wi-ao----", Facts(Root, active: true, open: 2) },
        { "owi-a-s---", Facts(Root, hasSnapshots: true, active: true) },
        { "Owi-aos---", Facts(Root, hasSnapshots: true, merge: true, active: true, open: 1) },
        { "Owi---s---", Facts(Root, hasSnapshots: true, merge: true) },
        { "Owi-m-s---", Facts(Root, hasSnapshots: true, merge: true, active: true, failed: true) },
        { "swi-a-s---", Facts(S1, active: true) },
        { "swi-aos---", Facts(S1, active: true, open: 1) },
        { "Swi-a-s---", Facts(S1, merge: true, active: true) },
        { "swi-I-s---", Facts(S1, active: true, invalid: true) },
        { "Swi-m-s---", Facts(S1, merge: true, active: true, failed: true) },
        { "swi---s---", Facts(S1) },
    };

    [Theory]
    [MemberData(nameof(Attrs))]
    public void Attr_strings_follow_the_documented_layout(string attr, VolumeFacts facts)
    {
        Assert.Equal(attr, LvAttr.Of(facts));
        Assert.Equal(10, attr.Length);
    }

    [Fact]
    public void A_snapshot_row_shows_its_origin_cow_size_and_use()
    {
        var row = LvReport.Of("vg0", Facts(S1, merge: true, active: true, data: 12.5, mergePercent: 40));
        Assert.Equal(new LvReport("s1", "vg0", "Swi-a-s---", 256 << 10, "root", 12.5, 40, S1.Uuid, 1), row);
    }

    [Fact]
    public void An_origin_row_has_no_origin_and_no_data_percent()
    {
        var row = LvReport.Of("vg0", Facts(Root, hasSnapshots: true, active: true));
        Assert.Equal("root", row.Lv);
        Assert.Null(row.Origin);
        Assert.Null(row.DataPercent);
        Assert.Null(row.MergePercent);
        Assert.Equal(1 << 20, row.LSize);
        Assert.Equal(0, row.Minor);
    }
}
