using FleetMerge.Torture.Fleet;

namespace FleetMerge.Torture.Tests.Fleet;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DiffersTests
{
    [Fact]
    public void Equal_images_do_not_differ_and_the_first_differing_byte_or_the_shorter_length_is_named()
    {
        Assert.Null(FleetTrial.Differs([1, 2, 3], [1, 2, 3]));
        Assert.Equal(1, FleetTrial.Differs([1, 2, 3], [1, 9, 3]));
        Assert.Equal(2, FleetTrial.Differs([1, 2, 3], [1, 2]));
    }
}
