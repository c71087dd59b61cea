using System.Text.Json;

namespace FleetMerge.Cli.Tests.Cow;

/// <summary>`fleetmerge cow …` end to end on real files through a real child process.</summary>
public class CowToolboxTests
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Format_creates_a_store_with_the_kernel_header()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "16M", "--chunk-size", "64K");
        Assert.Equal(0, r.ExitCode);
        var bytes = File.ReadAllBytes(dir.File("c.img"));
        Assert.Equal(16 << 20, bytes.Length);
        Assert.Equal("SnAp"u8.ToArray(), bytes[..4]);
        Assert.Equal(128u, BitConverter.ToUInt32(bytes, 12));
        Assert.Contains("256/32768 256", r.Stdout);
    }

    [Fact]
    public void Format_uses_the_existing_file_size_and_refuses_to_clobber_a_store()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("c.img"), new byte[1 << 20]);
        Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "format", "c.img").ExitCode);
        string sha = TempDir.Sha(dir.File("c.img"));
        var again = CliProcess.Run(dir.Path, "cow", "format", "c.img", "--chunk-size", "8K");
        Assert.Equal(3, again.ExitCode);
        Assert.Single(again.StderrLines);
        Assert.Contains("already holds a snapshot store", again.Stderr);
        Assert.Equal(sha, TempDir.Sha(dir.File("c.img")));
        Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "format", "c.img", "--chunk-size", "8K", "--force").ExitCode);
    }

    [Fact]
    public void Origin_write_then_read_gives_the_old_view_and_inspect_reports_the_exception()
    {
        using var dir = new TempDir();
        byte[] origin = Pattern(1 << 20, 1);
        File.WriteAllBytes(dir.File("o.img"), origin);
        File.WriteAllBytes(dir.File("new.bin"), Pattern(10000, 2));
        Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "1M").ExitCode);

        var w = CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "8K", "--in", "new.bin");
        Assert.Equal(0, w.ExitCode);
        var r = CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "view.img");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(origin, File.ReadAllBytes(dir.File("view.img")));

        var inspect = CliProcess.Run(dir.Path, "cow", "inspect", "c.img", "--json", "--table");
        Assert.Equal(0, inspect.ExitCode);
        using var json = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("exceptions").GetInt32()); // 10000 bytes from 8K: chunks 2,3,4
        Assert.Equal("40/2048 16", json.RootElement.GetProperty("status").GetString());
        var table = json.RootElement.GetProperty("table").EnumerateArray().Select(e => (e.GetProperty("oldChunk").GetUInt64(), e.GetProperty("newChunk").GetUInt64())).ToArray();
        Assert.Equal(new[] { (2ul, 2ul), (3ul, 3ul), (4ul, 4ul) }, table);

        var human = CliProcess.Run(dir.Path, "cow", "inspect", "c.img", "--origin", "o.img");
        Assert.Contains("0 2048 snapshot 40/2048 16", human.Stdout);
        Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "verify", "c.img", "--origin", "o.img").ExitCode);
    }

    [Fact]
    public void Snapshot_write_with_byte_fill_changes_only_the_snapshot_view()
    {
        using var dir = new TempDir();
        byte[] origin = Pattern(256 << 10, 3);
        File.WriteAllBytes(dir.File("o.img"), origin);
        CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "1M");
        var w = CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "5000", "--byte", "0xab", "--length", "100");
        Assert.Equal(0, w.ExitCode);
        Assert.Equal(origin, File.ReadAllBytes(dir.File("o.img")));
        CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "v.img");
        byte[] expected = origin.ToArray();
        expected.AsSpan(5000, 100).Fill(0xab);
        Assert.Equal(expected, File.ReadAllBytes(dir.File("v.img")));
    }

    [Fact]
    public void Origin_write_copies_into_every_store_given()
    {
        using var dir = new TempDir();
        byte[] origin = Pattern(512 << 10, 4);
        File.WriteAllBytes(dir.File("o.img"), origin);
        CliProcess.Run(dir.Path, "cow", "format", "a.img", "--size", "1M");
        CliProcess.Run(dir.Path, "cow", "format", "b.img", "--size", "2M", "--chunk-size", "16K");
        var w = CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "a.img", "--cow", "b.img", "--to", "origin", "--offset", "100K", "--byte", "7", "--length", "64K");
        Assert.Equal(0, w.ExitCode);
        foreach (var cow in new[] { "a.img", "b.img" })
        {
            Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", cow, "--out", cow + ".view").ExitCode);
            Assert.Equal(origin, File.ReadAllBytes(dir.File(cow + ".view")));
        }
    }

    [Fact]
    public void Origin_write_that_overflows_a_store_warns_and_invalidates_it()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("o.img"), Pattern(256 << 10, 5));
        CliProcess.Run(dir.Path, "cow", "format", "c.img", "--size", "16K"); // room for 2 exceptions
        var w = CliProcess.Run(dir.Path, "cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "0", "--byte", "1", "--length", "12K");
        Assert.Equal(0, w.ExitCode);
        Assert.Contains("COW full", w.Stderr);
        Assert.Contains("Invalid", CliProcess.Run(dir.Path, "cow", "inspect", "c.img").Stdout);
        var read = CliProcess.Run(dir.Path, "cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "v.img");
        Assert.Equal(3, read.ExitCode);
        Assert.Contains("invalid", read.Stderr);
        Assert.False(File.Exists(dir.File("v.img")));
    }
}
