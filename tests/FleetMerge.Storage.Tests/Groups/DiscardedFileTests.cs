using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// A merged or removed volume's file leaves the group at once (a rename to a hidden name) and is
/// unlinked in the background, so a merge's finish does not wait for the file system to free a
/// whole COW; what a crash leaves behind is deleted by the next load.
/// </summary>
public class DiscardedFileTests
{
    [Fact]
    public void A_merged_snapshots_cow_is_gone_when_the_merge_returns_and_unlinked_by_the_dispose()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Upgrade("root", origin);

        Assert.True(rig.Vg.Merge("s1")!.Run());

        Assert.Equal(["root.img"], rig.VolumeFiles());
        rig.Restart();
        Assert.Equal(["metadata.json", "root.img", "vg.lock"], AllFiles(rig));
    }

    [Fact]
    public void A_removed_snapshots_name_can_be_taken_again_at_once()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Upgrade("root", origin);

        rig.Vg.Remove("s1");
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);

        Assert.Equal(origin, rig.ReadAll("s1"));
        rig.Restart();
        Assert.Equal(["metadata.json", "root.img", "s1.cow", "vg.lock"], AllFiles(rig));
    }

    [Fact]
    public void A_hidden_file_a_crash_left_before_its_unlink_is_deleted_by_the_next_load()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        string leftover = rig.FileIn($".s1.cow.{Guid.NewGuid():N}{FileDiscard.Suffix}");
        File.WriteAllBytes(leftover, new byte[64 * K]);
        File.WriteAllBytes(rig.FileIn(".notes.discarded.txt"), [1]); // not ours: left alone

        rig.Restart();
        rig.Restart(); // the first load's unlinks are done once it is disposed

        Assert.False(File.Exists(leftover));
        Assert.Equal([".notes.discarded.txt", "metadata.json", "root.img", "vg.lock"], AllFiles(rig));
    }

    private static string[] AllFiles(GroupRig rig) =>
        [.. Directory.GetFiles(rig.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
