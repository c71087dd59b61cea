using FleetMerge.Torture.Node;

namespace FleetMerge.Torture.Tests.Node;

public class FamilyModelTests
{
    [Fact]
    public void A_snapshot_keeps_the_origin_bytes_of_its_instant_and_only_its_own_writes()
    {
        var model = new FamilyModel([1, 2, 3, 4]);
        model.TakeSnapshot("s1");
        model.WriteOrigin(1, [9, 9]);
        model.TakeSnapshot("s2");
        model.WriteSnapshot("s1", 3, [7]);

        Assert.Equal([1, 9, 9, 4], model.Origin);
        Assert.Equal([1, 2, 3, 7], model.Snapshots["s1"]);
        Assert.Equal([1, 9, 9, 4], model.Snapshots["s2"]);
    }

    [Fact]
    public void A_merge_gives_the_origin_the_snapshots_view_and_leaves_the_other_snapshot_alone()
    {
        var model = new FamilyModel([1, 2, 3, 4]);
        model.TakeSnapshot("s1");
        model.WriteOrigin(0, [5, 5, 5, 5]);
        model.TakeSnapshot("s2");
        model.Merge("s1");

        Assert.Equal([1, 2, 3, 4], model.Origin);
        Assert.False(model.Snapshots.ContainsKey("s1"));
        Assert.Equal([5, 5, 5, 5], model.Snapshots["s2"]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }, -1)]
    [InlineData(new byte[] { 1, 2, 3 }, new byte[] { 1, 0, 3 }, 1)]
    [InlineData(new byte[] { 1, 2, 3 }, new byte[] { 1, 2 }, 2)]
    public void The_first_difference_is_the_offset_of_the_first_differing_byte(byte[] expected, byte[] actual, long at) =>
        Assert.Equal(at, FamilyModel.FirstDifference(expected, actual));
}
