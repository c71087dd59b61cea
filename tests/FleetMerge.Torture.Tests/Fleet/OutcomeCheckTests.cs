using FleetMerge.Torture.Fleet;

namespace FleetMerge.Torture.Tests.Fleet;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutcomeCheckTests
{
    private static readonly string[] Expected = ["sim-0001", "sim-0002", "sim-0003"];

    [Fact]
    public void Every_expected_host_once_with_a_final_outcome_is_clean()
    {
        Assert.Empty(OutcomeCheck.Problems("c1", "failed", [("sim-0001", "succeeded"), ("sim-0002", "failed"), ("sim-0003", "skipped")], Expected));
    }

    [Fact]
    public void Duplicates_strangers_missing_hosts_and_unfinished_ones_are_each_named()
    {
        var problems = OutcomeCheck.Problems("c2", "running",
            [("sim-0001", "succeeded"), ("sim-0001", "failed"), ("sim-0002", "running"), ("sim-0009", "succeeded")], Expected);
        Assert.Equal(
        [
            "campaign c2 is running, not ended",
            "campaign c2 lists host sim-0001 2 times (succeeded, failed)",
            "campaign c2 lists host sim-0009, which it should not act on",
            "campaign c2 has no outcome for host sim-0003",
            "campaign c2 ended with host sim-0002 running",
        ], problems);
    }
}
