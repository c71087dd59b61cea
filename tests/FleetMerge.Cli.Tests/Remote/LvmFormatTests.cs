using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>The lvs-like formatting, in process.</summary>
public class LvmFormatTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(512L, "512b")]
    [InlineData(4096L, "4.00k")]
    [InlineData(200L << 20, "200.00m")]
    [InlineData(1L << 30, "1.00g")]
    [InlineData((1L << 30) + (1L << 20), "<1.01g")]
    [InlineData((3L << 40) / 2, "1.50t")]
    [InlineData(1000L * 1000 * 1000 * 1000 * 4, "<3.64t")]
    public void Sizes_read_like_lvs(long bytes, string shown) => Assert.Equal(shown, LvmFormat.Size(bytes));

    [Theory]
    [InlineData(null, "")]
    [InlineData(0.0, "0.00")]
    [InlineData(37.5, "37.50")]
    [InlineData(100.0, "100.00")]
    public void Percents_have_two_decimals_and_are_blank_when_null(double? value, string shown) =>
        Assert.Equal(shown, LvmFormat.Percent(value));

    [Theory]
    [InlineData("vg0/root", "vg0", "root")]
    [InlineData("/dev/vg0/root", "vg0", "root")]
    [InlineData("my-vg/lv_1.x+", "my-vg", "lv_1.x+")]
    public void Volume_references_parse(string text, string vg, string lv) =>
        Assert.Equal(new VolumeRef(vg, lv), VolumeRef.Parse(text));

    [Fact]
    public void Node_URLs_get_the_api_base()
    {
        Assert.Equal("http://127.0.0.1:7420/api/v1/", NodeTarget.ResolveUrl("127.0.0.1:7420").ApiBase.ToString());
        Assert.Equal("http://h:1/api/v1/", NodeTarget.ResolveUrl("http://h:1/api/v1/").ApiBase.ToString());
        Assert.Equal("https://h/x/api/v1/", NodeTarget.ResolveUrl("https://h/x/").ApiBase.ToString());
    }
}
