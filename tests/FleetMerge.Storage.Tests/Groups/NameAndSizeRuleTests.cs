using FleetMerge.Storage.Groups;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>Names, sizes and identifiers: pure rules, no files.</summary>
public class NameAndSizeRuleTests
{
    [Theory]
    [InlineData("root")]
    [InlineData("s1")]
    [InlineData("lv_home.2024+x-y")]
    [InlineData("A")]
    public void Lvm_style_names_are_accepted(string name)
    {
        Assert.Null(VolumeNames.VolumeProblem(name));
        VolumeNames.ValidateVolume(name);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "are not names")]
    [InlineData("..", "are not names")]
    [InlineData("-x", "start with '-'")]
    [InlineData("a/b", "'/' is not allowed")]
    [InlineData("a b", "' ' is not allowed")]
    [InlineData("snapshot1", "reserved")]
    [InlineData("pvmove0", "reserved")]
    [InlineData("x_mlog", "reserved")]
    [InlineData("data_tmeta", "reserved")]
    public void Bad_names_are_refused_with_the_reason(string name, string reason)
    {
        var e = Assert.Throws<BadNameException>(() => VolumeNames.ValidateVolume(name));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Names_longer_than_127_characters_are_refused()
    {
        VolumeNames.ValidateVolume(new string('a', 127));
        Assert.Throws<BadNameException>(() => VolumeNames.ValidateVolume(new string('a', 128)));
    }

    [Fact]
    public void Group_names_follow_the_base_rules_only()
    {
        Assert.Null(VolumeNames.GroupProblem("snapshotvg"));
        Assert.Throws<BadNameException>(() => VolumeNames.ValidateGroup("vg/0"));
    }

    [Theory]
    [InlineData(0, "at least one sector")]
    [InlineData(-512, "at least one sector")]
    [InlineData(1000, "not a multiple of 512")]
    public void Volume_sizes_are_whole_sectors(long size, string reason)
    {
        var e = Assert.Throws<BadRequestException>(() => SizeRules.CheckSize(size, "volume"));
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData(64 * 1024, 3000, "not a power of two")]
    [InlineData(64 * 1024, 2048, "outside 4K..512K")]
    [InlineData(4 << 20, 1 << 20, "outside 4K..512K")]
    [InlineData(8 * 1024, 4096, "too small")]
    [InlineData(12 * 1024 + 100, 4096, "not a multiple of 512")]
    public void Snapshot_sizes_and_chunk_sizes_are_checked(long cow, int chunk, string reason)
    {
        var e = Assert.Throws<BadRequestException>(() => SizeRules.CheckSnapshot(cow, chunk));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void The_smallest_snapshot_is_three_chunks()
    {
        Assert.Equal(4096, SizeRules.CheckSnapshot(12 * 1024, 4096).ChunkBytes);
        Assert.Equal(512 * 1024, SizeRules.CheckSnapshot(3 * 512 * 1024, 512 * 1024).ChunkBytes);
    }

    [Fact]
    public void Uuids_have_lvm_shape_and_differ()
    {
        string a = LvmUuid.New(), b = LvmUuid.New();
        Assert.True(LvmUuid.IsValid(a));
        Assert.NotEqual(a, b);
        Assert.Equal([6, 4, 4, 4, 4, 4, 6], a.Split('-').Select(p => p.Length));
        Assert.False(LvmUuid.IsValid("not-a-uuid"));
        Assert.False(LvmUuid.IsValid(a.Replace('-', '_')));
    }

    [Fact]
    public void New_volumes_get_the_lowest_free_minor()
    {
        Assert.Equal(0, Minors.Lowest([]));
        Assert.Equal(2, Minors.Lowest([0, 1, 3]));
        Assert.Equal(0, Minors.Lowest([1, 2]));
    }

    [Theory]
    [InlineData("nameorigin", MergeMode.NameOrigin)]
    [InlineData("--namesnapshot", MergeMode.NameSnapshot)]
    [InlineData("OnActivate", MergeMode.OnActivate)]
    public void Merge_modes_parse_as_lvconvert_spells_them(string text, MergeMode mode)
    {
        Assert.Equal(mode, MergeModes.Parse(text));
        Assert.Equal(text.TrimStart('-').ToLowerInvariant(), mode.Name());
    }

    [Fact]
    public void Unknown_merge_modes_are_refused()
    {
        Assert.Throws<BadRequestException>(() => MergeModes.Parse("nameboth"));
    }

    [Theory]
    [InlineData("a\nb", "'a\\nb'")]
    [InlineData("a\0b", "'a\\0b'")]
    [InlineData("tab\there", "'tab\\there'")]
    [InlineData("esc\u001b[31m", "'esc\\u001b[31m'")]
    public void A_refused_name_with_control_characters_is_shown_escaped_so_the_error_stays_one_line(string name, string shown)
    {
        // Found by ops/torture.sh --only api-abuse: the API's {"error": ...} carried the raw newline.
        var volume = Assert.Throws<BadNameException>(() => VolumeNames.ValidateVolume(name));
        var group = Assert.Throws<BadNameException>(() => VolumeNames.ValidateGroup(name));
        foreach (string message in new[] { volume.Message, group.Message })
        {
            Assert.Contains(shown, message);
            Assert.DoesNotContain('\n', message);
            Assert.DoesNotContain('\0', message);
            Assert.DoesNotContain('\u001b', message);
        }
    }

    [Fact]
    public void A_refused_name_far_over_the_limit_is_cut_short_in_the_error_with_its_length()
    {
        var refused = Assert.Throws<BadNameException>(() => VolumeNames.ValidateVolume(new string('n', 10_000)));
        Assert.Contains("(10000 characters)", refused.Message);
        Assert.True(refused.Message.Length < 200, refused.Message);
    }
}
