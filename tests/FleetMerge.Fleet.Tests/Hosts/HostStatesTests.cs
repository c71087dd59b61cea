using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Fleet.Tests.Hosts;

public sealed class HostStatesTests
{
    public static LvRow Row(string name, string attr, string? origin = null, double? merge = null, string vg = "vg0") =>
        new(name, vg, attr, 1 << 20, origin, null, merge, $"uuid-{vg}-{name}", 0);

    [Fact]
    public void No_volumes_or_plain_ones_are_idle()
    {
        Assert.Equal(HostStates.Idle, HostStates.Of([]));
        Assert.Equal(HostStates.Idle, HostStates.Of([Row("root", "-wi-a-----"), Row("home", "owi-aos---"), Row("home-s1", "swi-a-s---", "home")]));
    }

    [Fact]
    public void A_running_merge_is_merging() =>
        Assert.Equal(HostStates.Merging, HostStates.Of([Row("root", "Owi-aos---", merge: 12.5), Row("root-s1", "Swi-a-s---", "root", 12.5)]));

    [Fact]
    public void A_requested_merge_that_has_not_started_needs_a_reboot()
    {
        // --onactivate: marked, the origin still active and not copying; or the group inactive.
        Assert.Equal(HostStates.NeedsReboot, HostStates.Of([Row("root", "Owi-aos---"), Row("root-s1", "Swi-a-s---", "root")]));
        Assert.Equal(HostStates.NeedsReboot, HostStates.Of([Row("root", "Owi---s---", merge: 40)]));
    }

    [Fact]
    public void A_failed_merge_is_failed_on_the_origin_or_the_snapshot()
    {
        Assert.Equal(HostStates.Failed, HostStates.Of([Row("root", "Owi-mos---", merge: 40)]));
        Assert.Equal(HostStates.Failed, HostStates.Of([Row("root-s1", "Swi-m-s---", "root", 40)]));
    }

    [Fact]
    public void The_worst_volume_wins()
    {
        var failed = Row("a", "Owi-mos---", merge: 3);
        var merging = Row("b", "Owi-aos---", merge: 50);
        var pending = Row("c", "Owi-aos---");
        var idle = Row("d", "-wi-a-----");
        Assert.Equal(HostStates.Failed, HostStates.Of([idle, pending, merging, failed]));
        Assert.Equal(HostStates.Merging, HostStates.Of([pending, idle, merging]));
        Assert.Equal(HostStates.NeedsReboot, HostStates.Of([idle, pending]));
    }

    [Fact]
    public void A_short_attr_is_not_read_past_its_end() => Assert.Equal(HostStates.Idle, HostStates.Of([Row("odd", "O")]));
}
