using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Tests.Fleet.Pure;

/// <summary>The one duration grammar of hooks.json, fault strings, the CLI and the API.</summary>
public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("30m", 1_800_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1w", 604_800_000)]
    public void Parses_operator_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text, "timeout"));

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("m")]
    [InlineData("3y")]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("99999999999999d")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
        var e = Assert.Throws<FleetRequestException>(() => Durations.Parse(text, "timeout"));
        Assert.Equal(FleetRequestException.BadRequest, e.Kind);
        Assert.Equal($"timeout '{text}': expected a duration such as 500ms, 90s, 10m, 2h, 7d", e.Message);
    }

    [Fact]
    public void Formats_short() =>
        Assert.Equal(["250ms", "2s", "1m30s", "2h", "1h5s", "7d"],
            new[] { TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(90), TimeSpan.FromHours(2), new TimeSpan(1, 0, 5), TimeSpan.FromDays(7) }.Select(Durations.Format));
}
