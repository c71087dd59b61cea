using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>Explicit activation and deactivation, open counts, and where a session's I/O goes.</summary>
public class ActivationTests
{
    [Fact]
    public void New_and_loaded_volumes_are_inactive_and_refuse_open()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        Assert.Throws<VolumeInactiveException>(() => rig.Vg.Open("root"));
        rig.Vg.Activate("root");
        rig.Restart();
        Assert.False(rig.Vg.IsActive("root"));
        var e = Assert.Throws<VolumeInactiveException>(() => rig.Vg.Open("root"));
        Assert.Equal("vg0/root is not active; activate it first", e.Message);
        Assert.Equal("-wi-------", rig.Vg.Report("root").Attr);
    }

    [Fact]
    public void Activating_a_snapshot_activates_its_origin_and_siblings()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
        rig.Vg.CreateSnapshot("root", "s2", 64 * K);
        rig.Vg.CreateOrigin("other", 64 * K);
        rig.Vg.Activate("s1");
        Assert.True(rig.Vg.IsActive("root"));
        Assert.True(rig.Vg.IsActive("s2"));
        Assert.False(rig.Vg.IsActive("other"));
        rig.Vg.Deactivate("s2");
        Assert.False(rig.Vg.IsActive("root"));
    }

    [Fact]
    public void Deactivation_is_refused_while_any_volume_is_open_and_changes_nothing()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
        rig.ActiveOrigin("other", 64 * K);
        using (rig.Vg.Open("s1"))
        {
            var e = Assert.Throws<VolumeBusyException>(() => rig.Vg.Deactivate("root"));
            Assert.Equal("cannot deactivate vg0/root: vg0/s1 is open (1 session)", e.Message);
            Assert.Throws<VolumeBusyException>(() => rig.Vg.DeactivateAll());
            Assert.True(rig.Vg.IsActive("root"));
            Assert.True(rig.Vg.IsActive("other"));
        }
        rig.Vg.DeactivateAll();
        Assert.False(rig.Vg.IsActive("root"));
        Assert.False(rig.Vg.IsActive("other"));
    }

    [Fact]
    public void Open_counts_follow_sessions_and_show_in_the_report()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        var a = rig.Vg.Open("root");
        var b = rig.Vg.Open("root");
        Assert.Equal(2, rig.Vg.OpenCount("root"));
        Assert.Equal("-wi-ao----", rig.Vg.Report("root").Attr);
        a.Dispose();
        a.Dispose(); // idempotent
        Assert.Equal(1, rig.Vg.OpenCount("root"));
        b.Dispose();
        Assert.Equal("-wi-a-----", rig.Vg.Report("root").Attr);
        Assert.Throws<ObjectDisposedException>(() => a.Read(0, new byte[512]));
    }

    [Fact]
    public void Sessions_route_to_the_origin_or_to_the_snapshot()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        using (var s1 = rig.Vg.Open("s1"))
        {
            Assert.Equal(256 * K, s1.Length);
            Write(s1, snapshot, 3, 200 * K, 8 * K);
        }
        Assert.Equal(origin, rig.ReadAll("root"));
        Assert.Equal(snapshot, rig.ReadAll("s1"));
        var row = rig.Vg.Report("s1");
        Assert.Equal("swi-a-s---", row.Attr);
        Assert.True(row.DataPercent > 0);
        Assert.Equal("owi-a-s---", rig.Vg.Report("root").Attr);
    }

    [Fact]
    public void Data_written_before_a_reboot_is_there_after_it()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        rig.Reboot();
        var result = rig.Vg.ActivateAll();
        Assert.Empty(result.Started);
        Assert.Equal(origin, rig.ReadAll("root"));
        Assert.Equal(snapshot, rig.ReadAll("s1"));
    }

    [Fact]
    public void A_disposed_group_refuses_further_calls()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        var session = rig.Vg.Open("root");
        rig.Vg.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rig.Vg.Open("root"));
        Assert.Throws<VolumeInactiveException>(() => session.Read(0, new byte[512]));
        session.Dispose();
    }

    [Fact]
    public void A_missing_cow_fails_the_activation_cleanly_and_other_origins_still_activate()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
        rig.Vg.CreateOrigin("other", 64 * K);
        File.Delete(rig.FileIn("s1.cow"));
        var e = Assert.Throws<StorageException>(() => rig.Vg.ActivateAll());
        Assert.StartsWith("cannot activate vg0/root: ", e.Message);
        Assert.Contains("s1.cow: no such file", e.Message);
        Assert.False(rig.Vg.IsActive("root"));
        Assert.True(rig.Vg.IsActive("other"));
    }

    [Fact]
    public void A_cow_with_a_blank_header_is_refused_not_reformatted()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Upgrade("root", origin);
        rig.Vg.Merge("s1");
        rig.Restart();
        using (var cow = File.OpenWrite(rig.FileIn("s1.cow"))) cow.Write(new byte[4096]);
        var e = Assert.Throws<StorageException>(() => rig.Vg.Activate("root"));
        Assert.Contains("COW header is blank", e.Message);
        Assert.False(rig.Vg.IsActive("root"));
        Assert.Equal(new byte[16], File.ReadAllBytes(rig.FileIn("s1.cow"))[..16]);
    }
}
