using FleetMerge.Torture.Api;

namespace FleetMerge.Torture.Tests.Api;

public class AbuseModelTests
{
    [Fact]
    public void A_nameorigin_merge_removes_the_snapshot_and_keeps_the_origins_name()
    {
        var model = new AbuseModel();
        model.AddGroup("a0");
        model.AddVolume("a0", "r1");
        model.AddVolume("a0", "s1", "r1");
        model.AddVolume("a0", "s2", "r1");
        model.Merged("a0", "s1", "nameorigin");
        Assert.Equal(["a0/r1", "a0/s2 (snapshot of r1)"], model.Rows());
    }

    [Fact]
    public void A_namesnapshot_merge_leaves_the_origin_under_the_snapshots_name()
    {
        var model = new AbuseModel();
        model.AddGroup("a0");
        model.AddVolume("a0", "r1");
        model.AddVolume("a0", "s1", "r1");
        model.Merged("a0", "s1", "namesnapshot");
        Assert.Equal(["a0/s1"], model.Rows());
    }

    [Fact]
    public void A_difference_names_what_is_missing_and_what_is_unexpected()
    {
        Assert.Null(AbuseModel.Difference(["a0/r1"], ["a0/r1"], "volumes"));
        string? difference = AbuseModel.Difference(["a0/r1", "a0/s1 (snapshot of r1)"], ["a0/r1", "a0/bad0"], "volumes");
        Assert.Equal("volumes: missing [a0/s1 (snapshot of r1)], unexpected [a0/bad0]", difference);
    }

    [Fact]
    public void One_groups_rows_and_an_adopted_group_list_keep_a_failure_from_spilling_into_later_trials()
    {
        var model = new AbuseModel();
        model.AddGroup("a0");
        model.AddGroup("a1");
        model.AddVolume("a0", "r1");
        model.AddVolume("a1", "r2");
        Assert.Equal(["a1/r2"], model.Rows("a1"));
        model.AdoptGroups(["a1", "snapshot1"]);
        Assert.Equal(["a1", "snapshot1"], model.Groups);
    }
}
