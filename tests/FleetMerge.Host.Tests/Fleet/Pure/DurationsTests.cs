using FleetMerge.Host.Fleet;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("30m", 1_800_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h30m", 5_400_000)]
    public void Parses_operator_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text, "timeout"));

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("m")]
    [InlineData("3d")]
    [InlineData("0s")]
    [InlineData("-1s")]
    public void Refuses_anything_else(string text)
    {
        var e = Assert.Throws<FormatException>(() => Durations.Parse(text, "timeout"));
        Assert.Equal($"timeout: '{text}' is not a duration (like 500ms, 90s, 30m, 2h)", e.Message);
    }

    [Fact]
    public void Formats_short() =>
        Assert.Equal(["250ms", "2s", "1m30s", "2h", "1h5s"],
            new[] { TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(90), TimeSpan.FromHours(2), new TimeSpan(1, 0, 5) }.Select(Durations.Format));
}
