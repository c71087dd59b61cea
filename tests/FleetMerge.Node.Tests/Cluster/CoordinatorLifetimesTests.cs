namespace FleetMerge.Node.Tests.Cluster;

/// <summary>The overlap check the partition spec relies on: two coordinators acting together is any shared instant.</summary>
public sealed class CoordinatorLifetimesTests
{
    private static CoordinatorLife Life(int instance, string node, double started, double? stopped) =>
        new(instance, node, TimeSpan.FromSeconds(started), stopped is { } s ? TimeSpan.FromSeconds(s) : null, stopped is null ? null : "test");

    [Fact]
    public void Lives_one_after_the_other_do_not_overlap()
    {
        Assert.Empty(CoordinatorLifetimes.Overlaps([Life(1, "A", 1, 10), Life(2, "B", 12, null)]));
        Assert.Empty(CoordinatorLifetimes.Overlaps([Life(1, "A", 1, 10), Life(2, "B", 10, 20), Life(3, "A", 20, null)]));
    }

    [Fact]
    public void A_successor_that_starts_before_its_predecessor_stopped_overlaps_it()
    {
        var a = Life(1, "A", 1, 10);
        var b = Life(2, "B", 9.5, null);
        Assert.Equal([(a, b)], CoordinatorLifetimes.Overlaps([a, b]));
    }

    [Fact]
    public void A_life_never_seen_to_stop_overlaps_every_later_one()
    {
        var a = Life(1, "A", 1, null);
        var b = Life(2, "B", 100, 200);
        var c = Life(3, "B", 300, null);
        Assert.Equal([(a, b), (a, c)], CoordinatorLifetimes.Overlaps([a, b, c]));
    }
}
