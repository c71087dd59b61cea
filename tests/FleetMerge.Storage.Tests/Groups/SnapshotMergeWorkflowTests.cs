using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// The 2008 announcement's example, end to end: snapshot before a package upgrade, upgrade, take
/// another snapshot, mark the first to merge on activation, reboot, run on the pre-upgrade system
/// while the second snapshot keeps the upgrade, then merge the upgrade back (with a reboot again).
/// </summary>
public class SnapshotMergeWorkflowTests
{
    [Fact]
    public async Task Roll_back_an_upgrade_at_reboot_and_merge_it_back_later()
    {
        using var rig = new GroupRig();
        var system = rig.ActiveOrigin("root", 256 * K);

        // - take snapshot before system-wide package update
        rig.Vg.CreateSnapshot("root", "s1", 192 * K);
        var beforeUpgrade = (byte[])system.Clone();
        var rootFs = rig.Vg.Open("root"); // the mounted root filesystem

        // - do update
        Upgrade(rootFs, system);
        var upgraded = (byte[])system.Clone();

        // - take another snapshot
        rig.Vg.CreateSnapshot("root", "s2", 192 * K);

        // - initiate -M --onactivate with the first snapshot (root stays mounted)
        Assert.Null(rig.Vg.Merge("s1", MergeMode.OnActivate));
        Assert.Equal(upgraded, ReadAll(rootFs));
        Assert.Equal(["Owi-aos---", "Swi-a-s---", "swi-a-s---"], rig.Vg.Report().Select(r => r.Attr));

        // - reboot: unmount, vgchange -an, the process ends, a new one loads the group, vgchange -ay
        rootFs.Dispose();
        rig.Reboot();
        var boot = rig.Vg.ActivateAll();
        var merge = Assert.Single(boot.Started);
        Assert.Equal("s1", merge.Snapshot);

        // - after reboot you are running with root filesystem in the state before the update and
        //   you can examine the result of the update on the second snapshot
        rootFs = rig.Vg.Open("root");
        Assert.Equal(beforeUpgrade, ReadAll(rootFs));
        Assert.Equal(upgraded, rig.ReadAll("s2"));
        var progress = new List<double>();
        var copying = merge.RunInBackground(p => { lock (progress) progress.Add(p.Percent); });
        Assert.Equal(beforeUpgrade, ReadAll(rootFs)); // whatever the merge has done so far
        await merge.Completion;
        Assert.True(await copying);
        Assert.Equal(100, progress[^1]);
        Assert.Equal(beforeUpgrade, ReadAll(rootFs));
        Assert.Equal(upgraded, rig.ReadAll("s2"));
        Assert.Equal(["root.img", "s2.cow"], rig.VolumeFiles());
        Assert.Equal(["owi-aos---", "swi-a-s---"], rig.Vg.Report().Select(r => r.Attr));

        // - if you decide that you like the update anyway, you can merge it back again (with reboot)
        Assert.Null(rig.Vg.Merge("s2", MergeMode.OnActivate));
        rootFs.Dispose();
        rig.Reboot();
        var again = Assert.Single(rig.Vg.ActivateAll().Started);
        Assert.Equal("s2", again.Snapshot);
        Assert.True(again.Run());
        Assert.Equal(upgraded, rig.ReadAll("root"));
        Assert.Equal(["root.img"], rig.VolumeFiles());
        var root = Assert.Single(rig.Vg.Report());
        Assert.Equal(("root", "-wi-a-----"), (root.Lv, root.Attr));
    }
}
