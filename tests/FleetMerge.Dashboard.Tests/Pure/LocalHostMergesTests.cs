using FleetMerge.Node.Api.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Dashboard.Tests.Pure;

public sealed class LocalHostMergesTests
{
    private static LvRow Row(string name, string attr, string? origin = null) =>
        new(name, "vg0", attr, 4 << 20, origin, null, null, "u", 0);

    [Fact]
    public void Only_snapshots_with_a_merge_requested_are_watched()
    {
        var rows = new[]
        {
            Row("root", "Owi-a-s---"), Row("root-c1", "Swi-a-s---", "root"), Row("data", "owi-a-s---"),
            Row("data-c1", "swi-a-s---", "data"), Row("plain", "-wi-a-----"), Row("odd", ""),
        };
        Assert.Equal([("vg0", "root-c1")], LocalHostMerges.MergingSnapshots(rows));
    }
}
