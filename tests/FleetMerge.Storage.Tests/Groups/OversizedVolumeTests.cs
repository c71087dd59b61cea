using FleetMerge.Storage.Groups;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// Found by ops/torture.sh --only api-abuse: a volume or COW size that is whole sectors but beyond what
/// the file system can hold (2^62 bytes) failed as an internal error (HTTP 500) instead of a refusal of
/// the request; it must be a BadRequestException (400), and leave no file and no lock behind.
/// </summary>
public class OversizedVolumeTests
{
    private const long K = 1024;

    [Theory]
    [InlineData(1L << 62)]
    [InlineData(long.MaxValue - 511)]
    public void An_origin_larger_than_the_file_system_allows_is_a_bad_request_and_leaves_nothing(long size)
    {
        using var rig = new GroupRig();
        var refused = Assert.Throws<BadRequestException>(() => rig.Vg.CreateOrigin("huge", size));
        Assert.Contains($"{size} bytes", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Null(rig.Vg.Metadata.Find("huge"));
        Assert.False(File.Exists(Path.Combine(rig.Path, "huge.img")));
        // The name is free again: nothing half-made holds it.
        rig.Vg.CreateOrigin("huge", 256 * K);
    }

    [Fact]
    public void A_COW_larger_than_the_file_system_allows_is_a_bad_request_and_leaves_nothing()
    {
        using var rig = new GroupRig();
        rig.Vg.CreateOrigin("root", 256 * K);
        Assert.Throws<BadRequestException>(() => rig.Vg.CreateSnapshot("root", "s1", 1L << 62));
        Assert.Null(rig.Vg.Metadata.Find("s1"));
        Assert.False(File.Exists(Path.Combine(rig.Path, "s1.cow")));
        rig.Vg.CreateSnapshot("root", "s1", 64 * K);
    }
}
