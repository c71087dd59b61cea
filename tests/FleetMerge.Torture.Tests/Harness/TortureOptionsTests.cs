namespace FleetMerge.Torture.Tests.Harness;

public sealed class TortureOptionsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var o = TortureOptions.Parse(["--trials", "5", "--seed", "9", "--only", "a, b", "--trial", "3", "--jobs", "1", "--dir", "/x", "--list"]);
        Assert.Equal(new int?[] { 5, 3 }, new[] { o.Trials, o.Trial });
        Assert.Equal((9, 1, "/x", true), (o.Seed, o.Jobs, o.Dir, o.List));
        Assert.Equal(["a", "b"], o.Only!);
    }

    [Theory]
    [InlineData("--trials 0", "--trials: '0' is not a whole number >= 1")]
    [InlineData("--seed x", "--seed: 'x' is not a whole number >= 0")]
    [InlineData("--jobs", "--jobs needs a value")]
    [InlineData("--frobnicate", "unknown argument '--frobnicate'")]
    public void Bad_arguments_are_one_line_naming_the_problem(string args, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => TortureOptions.Parse(args.Split(' ')));
        Assert.Equal(message, e.Message);
    }
}
