using FleetMerge.Torture.Fuzz;

namespace FleetMerge.Torture.Tests.Fuzz;

public sealed class CliVerdictTests
{
    private static CliCall Call(int? exit, string stdout = "", string stderr = "") => new("fleetmerge cow x", exit, stdout, stderr);

    [Fact]
    public void Output_with_exit_0_and_one_named_error_with_exit_3_pass()
    {
        Assert.Null(CliVerdict.Problem(Call(0, "store c.img\n")));
        Assert.Null(CliVerdict.Problem(Call(3, stderr: "fleetmerge: c.img: bad magic 0x00000001\n")));
        Assert.Null(CliVerdict.Problem(Call(1, "c.img: entry 0: ...\nc.img: 1 problem(s)\n"), findingsExit: true));
    }

    [Theory]
    [InlineData(null, "", "", "hung")]
    [InlineData(0, "", "", "without output")]
    [InlineData(3, "", "fleetmerge: a\nfleetmerge: b\n", "2 stderr lines")]
    [InlineData(3, "", "fleetmerge: \n", "does not name a problem")]
    [InlineData(3, "", "", "0 stderr lines")]
    [InlineData(134, "", "Unhandled exception. System.OverflowException: boom\n   at X.Y() in /a.cs:line 3\n", "stack trace")]
    [InlineData(2, "", "fleetmerge: chunk size 3 sectors is not a power of two\n", "exit 2")]
    [InlineData(1, "c.img: clean", "", "exit 1")]
    public void Hangs_crashes_silent_or_wordy_failures_and_wrong_exit_codes_fail(int? exit, string stdout, string stderr, string mentions)
    {
        Assert.Contains(mentions, CliVerdict.Problem(Call(exit, stdout, stderr)));
    }
}
