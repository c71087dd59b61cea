using FleetMerge.Storage.Groups;
using FleetMerge.Storage.Tests.Support;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>The metadata's consistency rules (pure) and its file: format, atomic write, refusals.</summary>
public class MetadataTests
{
    private static GroupMetadata Sample()
    {
        var root = new VolumeRecord("root", LvmUuid.New(), 0, VolumeKind.Origin, 1 << 20, "root.img");
        var s1 = new VolumeRecord("s1", LvmUuid.New(), 1, VolumeKind.Snapshot, 256 << 10, "s1.cow", root.Uuid, 4096,
            new MergeMark(MergeMode.OnActivate, Started: false));
        return GroupMetadata.New("vg0").Add(root).Add(s1);
    }

    [Fact]
    public void Sample_metadata_is_consistent()
    {
        Assert.Empty(MetadataChecks.Findings(Sample()));
    }

    [Fact]
    public void Duplicate_names_minors_and_files_are_findings()
    {
        var md = Sample();
        var root = md.Find("root")!;
        var twin = root with { Uuid = LvmUuid.New() };
        var findings = MetadataChecks.Findings(md.Add(twin));
        Assert.Contains(findings, f => f.Contains("name 'root' is used twice"));
        Assert.Contains(findings, f => f.Contains("minor 0 is used twice"));
        Assert.Contains(findings, f => f.Contains("file 'root.img' is used twice"));
    }

    [Fact]
    public void A_snapshot_of_a_missing_origin_is_a_finding()
    {
        var md = Sample();
        var findings = MetadataChecks.Findings(md.Remove(md.Find("root")!.Uuid));
        Assert.Contains(findings, f => f.Contains("is not an origin of the group"));
    }

    [Fact]
    public void Files_outside_the_directory_are_findings()
    {
        var md = Sample();
        var root = md.Find("root")!;
        Assert.Contains(MetadataChecks.Findings(md.Replace(root.Uuid, root with { File = "../etc.img" })), f => f.Contains("file name"));
        Assert.Contains(MetadataChecks.Findings(md.Replace(root.Uuid, root with { File = "root.cow" })), f => f.Contains("file name"));
    }

    [Fact]
    public void Two_merges_on_one_origin_are_a_finding()
    {
        var md = Sample();
        var root = md.Find("root")!;
        var s2 = new VolumeRecord("s2", LvmUuid.New(), 2, VolumeKind.Snapshot, 256 << 10, "s2.cow", root.Uuid, 4096,
            new MergeMark(MergeMode.NameOrigin, Started: true));
        Assert.Contains(MetadataChecks.Findings(md.Add(s2)), f => f.Contains("at most one may"));
    }

    [Fact]
    public void The_file_format_round_trips_and_reads_as_documented()
    {
        var md = Sample();
        string json = MetadataFile.Serialize(md);
        Assert.Contains("\"format\": \"fleetmerge-vg\"", json);
        Assert.Contains("\"kind\": \"snapshot\"", json);
        Assert.Contains("\"mode\": \"onactivate\"", json);
        Assert.Contains("\"started\": false", json);
        Assert.Contains($"\"originUuid\": \"{md.Find("root")!.Uuid}\"", json);
        Assert.DoesNotContain("\"merge\": null", json);
        Assert.DoesNotContain("origins", json); // derived properties are not stored
        Assert.Equal(["format", "version", "name", "uuid", "seqno", "volumes"],
            System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name));
        var back = MetadataFile.Parse(json, "test");
        Assert.Equal(md.Volumes, back.Volumes);
        Assert.Equal(md with { Volumes = back.Volumes }, back);
    }

    [Theory]
    [InlineData("{", "not valid volume group metadata")]
    [InlineData("{\"format\":\"fleetmerge-vg\",\"version\":1,\"name\":\"vg0\"}", "not valid volume group metadata")]
    [InlineData("{\"format\":\"other\",\"version\":1,\"name\":\"vg0\",\"uuid\":\"x\",\"seqno\":1,\"volumes\":[]}", "inconsistent volume group metadata: format is 'other'")]
    public void Damaged_metadata_is_refused_in_one_line(string json, string reason)
    {
        var e = Assert.Throws<GroupMetadataException>(() => MetadataFile.Parse(json, "vg0/metadata.json"));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Writing_replaces_the_file_and_leaves_no_temporary()
    {
        using var dir = new TempDir();
        var md = Sample();
        MetadataFile.Write(dir.Path, md);
        MetadataFile.Write(dir.Path, md with { Seqno = 2 });
        Assert.Equal(2, MetadataFile.Read(dir.Path).Seqno);
        Assert.Equal(["metadata.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
