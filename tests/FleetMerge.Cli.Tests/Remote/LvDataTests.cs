namespace FleetMerge.Cli.Tests.Remote;

/// <summary>`lv read` and `lv write`: bytes through GET/PUT …/data in requests of at most 64 MiB.</summary>
public class LvDataTests
{
    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Write_then_read_round_trips_and_read_defaults_to_the_whole_volume()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "root", 1 << 20);
        using var cli = new RemoteCli(node);
        byte[] content = Random(300_000, 1);
        File.WriteAllBytes(cli.File("in.bin"), content);

        var write = cli.Run("lv", "write", "vg0/root", "--offset", "4K", "--in", "in.bin");
        RemoteCli.AssertOk(write);
        Assert.Equal("in.bin: 300000 bytes written to vg0/root at offset 4096\n", write.Stdout);
        var put = node.Single("PUT", "/api/v1/vgs/vg0/lvs/root/data");
        Assert.Equal("?offset=4096", put.Query);
        Assert.Equal("application/octet-stream", put.ContentType);
        Assert.Equal(300_000, put.BodyLength);
        Assert.Equal(content, node.Volume("vg0", "root")!.Data.AsSpan(4096, content.Length).ToArray());

        var read = cli.Run("lv", "read", "vg0/root", "--out", "out.bin");
        RemoteCli.AssertOk(read);
        Assert.Equal("out.bin: 1048576 bytes of vg0/root from offset 0\n", read.Stdout);
        Assert.Equal(node.Volume("vg0", "root")!.Data, File.ReadAllBytes(cli.File("out.bin")));
        var get = node.Single("GET", "/api/v1/vgs/vg0/lvs/root/data");
        Assert.Equal("?offset=0&length=1048576", get.Query);
        Assert.Empty(Directory.GetFiles(cli.Dir, "*.part", SearchOption.AllDirectories));

        var part = cli.Run("lv", "read", "vg0/root", "--out", "part.bin", "--offset", "4096", "--length", "1000");
        RemoteCli.AssertOk(part);
        Assert.Equal(content[..1000], File.ReadAllBytes(cli.File("part.bin")));
    }

    [Fact]
    public async Task A_snapshot_reads_as_long_as_its_origin()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "root", 256 << 10, data: Random(256 << 10, 2));
        node.WithSnapshot("vg0", "root", "pre", 64 << 10);
        using var cli = new RemoteCli(node);
        var read = cli.Run("lv", "read", "vg0/pre", "--out", "pre.bin");
        RemoteCli.AssertOk(read);
        Assert.Equal(node.Volume("vg0", "root")!.Data, File.ReadAllBytes(cli.File("pre.bin")));
    }

    [Fact]
    public async Task Big_transfers_go_in_requests_of_at_most_64_MiB()
    {
        const int size = (64 << 20) + (5 << 20) + 4096;
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "big", 80 << 20);
        using var cli = new RemoteCli(node);
        byte[] content = Random(size, 3);
        File.WriteAllBytes(cli.File("in.bin"), content);

        var write = cli.Run("lv", "write", "vg0/big", "--offset", "1M", "--in", "in.bin");
        Assert.True(write.ExitCode == 0, write.Stderr);
        // Progress of a long transfer goes to stderr (a line per request when stderr is no terminal).
        Assert.Equal(["writing vg0/big: 92.75% (64.00m of <69.01m)", "writing vg0/big: 100.00% (<69.01m of <69.01m)"], write.StderrLines);
        var puts = node.Requests.Where(q => q.Method == "PUT").ToList();
        Assert.Equal([("?offset=1048576", 64L << 20), ($"?offset={(1 << 20) + (64 << 20)}", (5L << 20) + 4096)],
            puts.Select(q => (q.Query, q.BodyLength)));

        var read = cli.Run("lv", "read", "vg0/big", "--out", "out.bin", "--offset", "1M", "--length", $"{size}");
        Assert.True(read.ExitCode == 0, read.Stderr);
        Assert.All(read.StderrLines, line => Assert.StartsWith("reading vg0/big: ", line));
        Assert.Equal(content, File.ReadAllBytes(cli.File("out.bin")));
        var gets = node.Requests.Where(q => q.Method == "GET").Select(q => q.Query).ToList();
        Assert.Equal([$"?offset=1048576&length={64 << 20}", $"?offset={(1 << 20) + (64 << 20)}&length={(5 << 20) + 4096}"], gets);
    }

    [Fact]
    public async Task A_refused_read_leaves_no_file_behind()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "root", 1 << 20);
        node.Fail("GET", "/data", 409, "snapshot vg0/root is invalid: it has no view to read");
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "read", "vg0/root", "--out", "out.bin");
        RemoteCli.AssertOneLineError(r, 3, "snapshot vg0/root is invalid: it has no view to read");
        Assert.Empty(Directory.GetFiles(cli.Dir, "out.bin*"));
        Assert.Empty(Directory.GetFiles(cli.Dir, ".out.bin*"));
    }

    [Fact]
    public async Task Read_of_an_unknown_volume_and_write_of_a_missing_file_are_one_line_errors()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        using var cli = new RemoteCli(node);
        RemoteCli.AssertOneLineError(cli.Run("lv", "read", "vg0/nope", "--out", "x.bin"), 3, "vg0/nope not found");
        RemoteCli.AssertOneLineError(cli.Run("lv", "write", "vg0/nope", "--offset", "0", "--in", "missing.bin"), 3, "missing.bin: no such file");
        Assert.DoesNotContain(node.Requests, q => q.Method == "PUT");
    }
}
