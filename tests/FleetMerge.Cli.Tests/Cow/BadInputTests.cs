namespace FleetMerge.Cli.Tests.Cow;

/// <summary>Every bad input: one line on stderr naming the problem, a non-zero exit, files untouched.</summary>
public class BadInputTests
{
    private static void AssertOneLineError(CliProcess.Result r, int exitCode, string mentions)
    {
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.StartsWith("fleetmerge: ", r.StderrLines[0]);
        Assert.Contains(mentions, r.Stderr);
    }

    private static TempDir WithStore(out string originSha, out string cowSha)
    {
        var dir = new TempDir();
        var origin = new byte[256 << 10];
        new Random(9).NextBytes(origin);
        File.WriteAllBytes(dir.File("o.img"), origin);
        CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "1M");
        originSha = TempDir.Sha(dir.File("o.img"));
        cowSha = TempDir.Sha(dir.File("c.img"));
        return dir;
    }

    [Theory]
    [InlineData("3K", "not a power of two")]
    [InlineData("2K", "outside 4K..512K")]
    [InlineData("1M", "outside 4K..512K")]
    [InlineData("x", "not a number")]
    public void Chunk_size_must_be_a_power_of_two_in_range(string chunk, string mentions)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "1M", "--chunk-size", chunk);
        AssertOneLineError(r, 2, mentions);
        Assert.False(File.Exists(dir.File("c.img")));
    }

    [Fact]
    public void Format_too_small_is_refused_and_creates_nothing()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "8K"), 2, "too small");
        Assert.False(File.Exists(dir.File("c.img")));
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "inspect", "nope.img"), 3, "nope.img: no such file");
    }

    [Fact]
    public void Wrong_magic_is_reported_by_every_command_and_nothing_is_written()
    {
        using var dir = WithStore(out string originSha, out _);
        var junk = new byte[1 << 20];
        new Random(1).NextBytes(junk);
        File.WriteAllBytes(dir.File("junk.img"), junk);
        string junkSha = TempDir.Sha(dir.File("junk.img"));
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "inspect", "junk.img"), 3, "bad magic");
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", "junk.img", "--out", "v.img"), 3, "bad magic");
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "junk.img", "--to", "origin", "--offset", "0", "--byte", "1", "--length", "4K"), 3, "bad magic");
        var verify = CliProcess.Run(dir.Path, "cow", "verify", "junk.img");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("bad magic", verify.Stdout);
        Assert.Equal(junkSha, TempDir.Sha(dir.File("junk.img")));
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
        Assert.False(File.Exists(dir.File("v.img")));
    }

    [Fact]
    public void Truncated_store_is_reported()
    {
        using var dir = WithStore(out _, out _);
        var bytes = File.ReadAllBytes(dir.File("c.img"));
        File.WriteAllBytes(dir.File("t.img"), bytes[..6000]);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "inspect", "t.img"), 3, "sectors");
        var tiny = bytes[..10];
        File.WriteAllBytes(dir.File("tiny.img"), tiny);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "inspect", "tiny.img"), 3, "too small");
    }

    [Fact]
    public void Blank_store_must_be_formatted_first()
    {
        using var dir = WithStore(out string originSha, out _);
        File.WriteAllBytes(dir.File("blank.img"), new byte[1 << 20]);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "blank.img", "--to", "origin", "--offset", "0", "--byte", "1", "--length", "1"), 3, "format");
        Assert.All(File.ReadAllBytes(dir.File("blank.img")), b => Assert.Equal(0, b));
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
    }

    [Fact]
    public void Write_beyond_the_origin_is_refused_before_anything_is_written()
    {
        using var dir = WithStore(out string originSha, out string cowSha);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "255K", "--byte", "1", "--length", "2K"), 2, "does not fit the origin");
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
        Assert.Equal(cowSha, TempDir.Sha(dir.File("c.img")));
    }

    [Theory]
    [InlineData("--to", "sideways", "sideways")]
    [InlineData("--byte", "300", "0..255")]
    [InlineData("--offset", "-5", "--offset")]
    public void Bad_values_are_usage_errors(string option, string value, string mentions)
    {
        using var dir = WithStore(out string originSha, out string cowSha);
        var args = new List<string> { "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "0", "--byte", "1", "--length", "1" };
        int i = args.IndexOf(option);
        args[i + 1] = value;
        AssertOneLineError(CliProcess.Run(dir.Path, args.ToArray()), 2, mentions);
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
        Assert.Equal(cowSha, TempDir.Sha(dir.File("c.img")));
    }

    [Fact]
    public void Both_or_neither_data_source_is_a_usage_error()
    {
        using var dir = WithStore(out _, out _);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "0"), 2, "exactly one of --in");
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "cow", "frobnicate");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void Write_to_an_invalid_snapshot_is_refused()
    {
        using var dir = WithStore(out string originSha, out _);
        var bytes = File.ReadAllBytes(dir.File("c.img"));
        bytes[4] = 0;
        File.WriteAllBytes(dir.File("c.img"), bytes);
        string cowSha = TempDir.Sha(dir.File("c.img"));
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "0", "--byte", "1", "--length", "1"), 3, "invalid");
        Assert.Equal(cowSha, TempDir.Sha(dir.File("c.img")));
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
    }

    [Fact]
    public void Verify_lists_every_finding_of_a_corrupt_table()
    {
        using var dir = WithStore(out _, out _);
        CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "0", "--byte", "1", "--length", "12K");
        var bytes = File.ReadAllBytes(dir.File("c.img"));
        BitConverter.GetBytes(1ul).CopyTo(bytes, 4096 + 8);          // entry 0 new_chunk → area 0 (metadata)
        BitConverter.GetBytes(4ul).CopyTo(bytes, 4096 + 16 + 8);     // entry 1 new_chunk → 4, used by entry 2
        BitConverter.GetBytes(999999ul).CopyTo(bytes, 4096 + 32);    // entry 2 old_chunk beyond the origin
        File.WriteAllBytes(dir.File("c.img"), bytes);
        var r = CliProcess.Run(dir.Path, "cow", "verify", "c.img", "--origin", "o.img");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("metadata chunk", r.Stdout);
        Assert.Contains("already used by entry", r.Stdout);
        Assert.Contains("beyond the end of the origin", r.Stdout);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "v.img"), 3, "corrupt exception table");
    }

    [Fact]
    public void Snapshot_write_into_a_full_store_fails_with_one_line()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("o.img"), new byte[256 << 10]);
        CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "16K"); // room for 2 exceptions
        var r = CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "0", "--byte", "1", "--length", "12K");
        AssertOneLineError(r, 3, "COW is full");
        Assert.Contains("Invalid", CliProcess.Run(dir.Path, "cow", "inspect", "c.img").Stdout);
        Assert.All(File.ReadAllBytes(dir.File("o.img")), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Merge_refusals_are_one_line_errors()
    {
        using var dir = WithStore(out string originSha, out _);
        var bytes = File.ReadAllBytes(dir.File("c.img"));
        bytes[4] = 0;
        File.WriteAllBytes(dir.File("bad.img"), bytes);
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "merge", "--origin", "o.img", "--cow", "bad.img"), 3, "invalid");
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "merge", "--origin", "o.img", "--cow", "c.img", "--max-rate", "fast"), 2, "--max-rate");
        AssertOneLineError(CliProcess.Run(dir.Path, "cow", "merge", "--origin", "missing.img", "--cow", "c.img"), 3, "missing.img: no such file");
        Assert.Equal(originSha, TempDir.Sha(dir.File("o.img")));
    }
}
