using FleetMerge.Torture.Cli;

namespace FleetMerge.Torture.Tests.Cli;

public sealed class ErrorLineTests
{
    [Fact]
    public void One_fleetmerge_line_saying_the_disk_is_full_is_right()
    {
        Assert.Null(ErrorLine.DiskFull("fleetmerge: /m/a.cow: merge failed: No space left on device : '/m/origin.img'\n"));
    }

    [Theory]
    [InlineData("Unhandled exception. System.IO.IOException: No space left on device\n   at X.Y()\n")]
    [InlineData("fleetmerge: warning: a.cow: COW full\nfleetmerge: No space left on device\n")]
    [InlineData("fleetmerge: a.cow: snapshot is invalid\n")]
    [InlineData("")]
    [InlineData("No space left on device\n")]
    public void Anything_else_is_not(string stderr)
    {
        Assert.NotNull(ErrorLine.DiskFull(stderr));
    }
}
