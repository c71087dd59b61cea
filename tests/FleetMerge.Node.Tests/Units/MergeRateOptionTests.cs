using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Tests.Units;

/// <summary>--merge-max-rate / FLEETMERGE_MERGE_MAX_RATE: the copy rate limit of the host's merges.</summary>
public sealed class MergeRateOptionTests
{
    [Fact]
    public void Unlimited_by_default() => Assert.Null(NodeCommandLine.Parse([], _ => null).MergeMaxBytesPerSecond);

    [Fact]
    public void Option_beats_environment()
    {
        Assert.Equal(16L << 20, NodeCommandLine.Parse(["--merge-max-rate", "16M"], _ => null).MergeMaxBytesPerSecond);
        Assert.Equal(8L << 10, NodeCommandLine.Parse([], v => v == "FLEETMERGE_MERGE_MAX_RATE" ? "8K" : null).MergeMaxBytesPerSecond);
        Assert.Equal(1L << 30, NodeCommandLine.Parse(["--merge-max-rate", "1G"], v => v == "FLEETMERGE_MERGE_MAX_RATE" ? "8K" : null).MergeMaxBytesPerSecond);
    }

    [Theory]
    [InlineData("fast", "--merge-max-rate")]
    [InlineData("1K", "below the smallest rate")]
    public void Bad_values_are_usage_errors(string value, string expected) =>
        Assert.Contains(expected, Assert.Throws<NodeUsageException>(() => NodeCommandLine.Parse(["--merge-max-rate", value], _ => null)).Message);
}
