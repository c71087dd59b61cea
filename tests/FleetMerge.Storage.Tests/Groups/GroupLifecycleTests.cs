using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>Creating, loading, removing and renaming volumes on real files; bad input changes nothing.</summary>
public class GroupLifecycleTests
{
    [Fact]
    public void Volumes_keep_names_uuids_minors_and_sizes_across_a_restart()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        rig.Vg.CreateSnapshot("root", "s1", 64 * K, chunkBytes: 8 * K);
        rig.Vg.CreateOrigin("data", 1 * K * K);
        var before = rig.Vg.Report();
        rig.Restart();
        Assert.Equal(before, rig.Vg.Report());
        Assert.Equal(["data.img", "root.img", "s1.cow"], rig.VolumeFiles());
        Assert.Equal([0, 1, 2], before.Select(r => r.Minor));
        var s1 = rig.Vg.Metadata.Find("s1")!;
        Assert.Equal((VolumeKind.Snapshot, 64L * K, 8 * K, rig.Vg.Metadata.Find("root")!.Uuid), (s1.Kind, s1.SizeBytes, s1.ChunkBytes!.Value, s1.OriginUuid));
        Assert.Equal(256 * K, new FileInfo(rig.FileIn("root.img")).Length);
        Assert.Equal(64 * K, new FileInfo(rig.FileIn("s1.cow")).Length);
    }

    [Fact]
    public void A_group_directory_is_held_by_one_group_object()
    {
        using var rig = new GroupRig();
        var e = Assert.Throws<VolumeBusyException>(() => VolumeGroup.Load(rig.Path));
        Assert.Contains("already open", e.Message);
        Assert.Throws<VolumeExistsException>(() => VolumeGroup.Create(rig.Path, "vg1"));
    }

    [Fact]
    public void Loading_a_directory_without_a_group_is_refused()
    {
        using var dir = new Support.TempDir();
        var e = Assert.Throws<VolumeNotFoundException>(() => VolumeGroup.Load(dir.Path));
        Assert.Contains("not a volume group", e.Message);
    }

    [Fact]
    public void Duplicate_names_are_refused_and_change_nothing()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
        long seqno = rig.Vg.Metadata.Seqno;
        Assert.Throws<VolumeExistsException>(() => rig.Vg.CreateOrigin("root", 512 * K));
        var e = Assert.Throws<VolumeExistsException>(() => rig.Vg.CreateSnapshot("root", "root", 64 * K));
        Assert.Equal("vg0/root: a volume of that name exists", e.Message);
        Assert.Throws<VolumeExistsException>(() => rig.Vg.CreateOrigin("s1", 512 * K));
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
        Assert.Equal(["root.img", "s1.cow"], rig.VolumeFiles());
        Assert.Equal(256 * K, new FileInfo(rig.FileIn("root.img")).Length);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("../escape")]
    [InlineData("snapshot0")]
    public void Bad_names_are_refused_and_leave_nothing(string name)
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        long seqno = rig.Vg.Metadata.Seqno;
        Assert.Throws<BadNameException>(() => rig.Vg.CreateOrigin(name, 256 * K));
        Assert.Throws<BadNameException>(() => rig.Vg.CreateSnapshot("root", name, 64 * K));
        Assert.Throws<BadNameException>(() => rig.Vg.Rename("root", name));
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
        Assert.Equal(["root.img"], rig.VolumeFiles());
    }

    [Theory]
    [InlineData(1000, 4096)]
    [InlineData(64 * 1024, 3000)]
    [InlineData(64 * 1024, 2048)]
    [InlineData(64 * 1024, 1 << 20)]
    [InlineData(8 * 1024, 4096)]
    public void Bad_snapshot_sizes_are_refused_and_leave_nothing(long cowBytes, int chunkBytes)
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        long seqno = rig.Vg.Metadata.Seqno;
        var e = Assert.Throws<BadRequestException>(() => rig.Vg.CreateSnapshot("root", "s1", cowBytes, chunkBytes));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
        Assert.Equal(["root.img"], rig.VolumeFiles());
    }

    [Fact]
    public void An_origin_size_must_be_whole_sectors()
    {
        using var rig = new GroupRig();
        Assert.Throws<BadRequestException>(() => rig.Vg.CreateOrigin("root", 1000));
        Assert.Empty(rig.VolumeFiles());
        Assert.Empty(rig.Vg.Metadata.Volumes);
    }

    [Fact]
    public void Unknown_volumes_are_refused_by_every_operation()
    {
        using var rig = new GroupRig();
        var e = Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Open("nope"));
        Assert.Equal("vg0/nope: no such volume", e.Message);
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Activate("nope"));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Deactivate("nope"));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Remove("nope"));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Rename("nope", "x"));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Merge("nope"));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.CreateSnapshot("nope", "s1", 64 * K));
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Report("nope"));
    }

    [Fact]
    public void Snapshots_of_snapshots_are_refused()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
        Assert.Throws<BadRequestException>(() => rig.Vg.CreateSnapshot("s1", "s2", 64 * K));
        Assert.Equal(["root.img", "s1.cow"], rig.VolumeFiles());
    }

    [Fact]
    public void A_stray_file_is_never_overwritten_by_a_create()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        File.WriteAllText(rig.FileIn("s1.cow"), "left over");
        var e = Assert.Throws<VolumeExistsException>(() => rig.Vg.CreateSnapshot("root", "s1", 64 * K));
        Assert.Contains("belongs to no volume", e.Message);
        Assert.Equal("left over", File.ReadAllText(rig.FileIn("s1.cow")));
        Assert.Null(rig.Vg.Metadata.Find("s1"));
    }

    [Fact]
    public void Removing_a_snapshot_detaches_it_and_deletes_its_cow()
    {
        using var rig = new GroupRig();
        var model = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        rig.Vg.Remove("s1");
        Assert.Equal(["root.img"], rig.VolumeFiles());
        Assert.Null(rig.Vg.Metadata.Find("s1"));
        rig.Upgrade("root", model); // no snapshot left to copy into
        Assert.Equal(model, rig.ReadAll("root"));
        Assert.Equal("-wi-a-----", rig.Vg.Report("root").Attr);
    }

    [Fact]
    public void Removing_an_open_volume_or_an_origin_with_snapshots_is_refused()
    {
        using var rig = new GroupRig();
        rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        Assert.Throws<VolumeBusyException>(() => rig.Vg.Remove("root"));
        using (rig.Vg.Open("s1"))
            Assert.Throws<VolumeBusyException>(() => rig.Vg.Remove("s1"));
        rig.Vg.Remove("s1");
        rig.Vg.Remove("root");
        Assert.Empty(rig.VolumeFiles());
        Assert.Empty(rig.Vg.Metadata.Volumes);
    }

    [Fact]
    public void Renames_keep_uuid_and_minor_move_the_file_and_spare_open_sessions()
    {
        using var rig = new GroupRig();
        var model = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var root = rig.Vg.Report("root");
        using var session = rig.Vg.Open("root");
        rig.Vg.Rename("root", "system");
        rig.Vg.Rename("s1", "before-upgrade");
        Upgrade(session, model);
        var system = rig.Vg.Report("system");
        Assert.Equal((root.Uuid, root.Minor), (system.Uuid, system.Minor));
        Assert.Equal("system", rig.Vg.Report("before-upgrade").Origin);
        Assert.Equal(["before-upgrade.cow", "system.img"], rig.VolumeFiles());
        Assert.Throws<VolumeNotFoundException>(() => rig.Vg.Open("root"));
        session.Dispose();
        rig.Reboot();
        rig.Vg.Activate("system");
        Assert.Equal(model, rig.ReadAll("system"));
    }

    [Fact]
    public void Renaming_onto_a_taken_name_is_refused()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("a", 64 * K);
        rig.Vg.CreateOrigin("b", 64 * K);
        long seqno = rig.Vg.Metadata.Seqno;
        Assert.Throws<VolumeExistsException>(() => rig.Vg.Rename("a", "b"));
        Assert.Equal(seqno, rig.Vg.Metadata.Seqno);
    }

    [Fact]
    public void A_crash_inside_a_rename_is_tidied_at_load()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("a", 64 * K);
        rig.Vg.CreateOrigin("c", 64 * K);
        var md = rig.Vg.Metadata;
        rig.Vg.Dispose();
        // Crash after the first commit of "a" -> "b": the record has the new name, the file the old.
        var a = md.Find("a")!;
        // Crash after the file rename of "c" -> "d": the file has moved, the record not yet.
        var c = md.Find("c")!;
        File.Move(rig.FileIn("c.img"), rig.FileIn("d.img"));
        MetadataFile.Write(rig.Path, md.Replace(a.Uuid, a with { Name = "b" }).Replace(c.Uuid, c with { Name = "d" }) with { Seqno = md.Seqno + 1 });
        rig.Restart();
        Assert.Equal(["b.img", "d.img"], rig.VolumeFiles());
        Assert.Equal("b.img", rig.Vg.Metadata.Find("b")!.File);
        Assert.Equal("d.img", rig.Vg.Metadata.Find("d")!.File);
        rig.Vg.ActivateAll();
        Assert.True(rig.Vg.IsActive("b"));
    }
}
