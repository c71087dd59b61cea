using System.Net;
using System.Net.Sockets;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>
/// One line on stderr and the documented exit code for every failure: 2 usage, 3 the node
/// refused, 4 token, 5 no node. And where the token comes from.
/// </summary>
public class ErrorAndTokenTests
{
    [Theory]
    [InlineData(400, "invalid JSON body: unknown property 'x'")]
    [InlineData(404, "volume group 'vg9' not found")]
    [InlineData(409, "logical volume 'vg0/root' already exists")]
    [InlineData(500, "I/O error on /srv/data/vg0/root.img")]
    [InlineData(503, "the node did not answer in time (actor ask timed out)")]
    public async Task Refusals_exit_3_with_the_nodes_message(int status, string message)
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.Fail("POST", "/vgs/vg0/lvs", status, message);
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "create", "vg0/root", "--size", "1M");
        RemoteCli.AssertOneLineError(r, 3);
        Assert.Equal($"fleetmerge: {message}", r.StderrLines[0]);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Real_refusals_of_the_fake_node_come_through_too()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        using var cli = new RemoteCli(node);
        RemoteCli.AssertOneLineError(cli.Run("vg", "create", "vg0"), 3, "volume group 'vg0' already exists");
        RemoteCli.AssertOneLineError(cli.Run("lv", "list", "vg9"), 3, "volume group 'vg9' not found");
        RemoteCli.AssertOneLineError(cli.Run("lv", "remove", "vg0/nope"), 3, "logical volume 'vg0/nope' not found");
    }

    [Fact]
    public async Task A_wrong_token_exits_4_naming_its_source_and_how_to_set_one()
    {
        await using var node = await FakeNode.StartAsync();
        using var cli = new RemoteCli(node);
        File.WriteAllText(cli.File("wrong-token"), "0000\n");
        var r = cli.RunWith(new Dictionary<string, string?>(), "vg", "list", "--node", node.Url, "--token-file", "wrong-token");
        RemoteCli.AssertOneLineError(r, 4, "--token-file wrong-token", "wrong bearer token", "FLEETMERGE_TOKEN", node.Url);
        Assert.Equal("Bearer 0000", Assert.Single(node.Requests).Authorization);

        var env = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = "nope" }, "vg", "list", "--node", node.Url);
        RemoteCli.AssertOneLineError(env, 4, "from FLEETMERGE_TOKEN", "--token-file");
    }

    [Fact]
    public async Task No_token_file_exits_4_before_any_request()
    {
        await using var node = await FakeNode.StartAsync();
        using var cli = new RemoteCli(node);
        var r = cli.RunWith(new Dictionary<string, string?>(), "vg", "list", "--node", node.Url);
        RemoteCli.AssertOneLineError(r, 4, "./data/api-token", "does not exist", "--token-file", "FLEETMERGE_TOKEN");
        var missing = cli.RunWith(new Dictionary<string, string?>(), "vg", "list", "--node", node.Url, "--token-file", "nope");
        RemoteCli.AssertOneLineError(missing, 4, "--token-file nope does not exist");
        Assert.Empty(node.Requests);
    }

    [Fact]
    public async Task The_token_comes_from_the_option_then_FLEETMERGE_TOKEN_then_the_data_directory()
    {
        await using var node = await FakeNode.StartAsync();
        using var cli = new RemoteCli(node);
        var none = new Dictionary<string, string?>();
        // --token-file beats FLEETMERGE_TOKEN.
        RemoteCli.AssertOk(cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = "wrong" },
            "vg", "list", "--node", node.Url, "--token-file", cli.TokenFile));
        // FLEETMERGE_TOKEN holds the token itself.
        RemoteCli.AssertOk(cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = FakeNode.Token }, "vg", "list", "--node", node.Url));
        // ./data/api-token in the working directory, as a node started there with its defaults writes it.
        Directory.CreateDirectory(cli.File("data"));
        File.Copy(cli.TokenFile, cli.File("data/api-token"));
        RemoteCli.AssertOk(cli.RunWith(none, "vg", "list", "--node", node.Url));
        // FLEETMERGE_DATA_DIR, as the node reads it, names the directory when set.
        Directory.CreateDirectory(cli.File("srv"));
        File.Copy(cli.TokenFile, cli.File("srv/api-token"));
        File.WriteAllText(cli.File("data/api-token"), "stale");
        RemoteCli.AssertOk(cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_DATA_DIR"] = cli.File("srv") }, "vg", "list", "--node", node.Url));
        Assert.All(node.Requests, q => Assert.Equal($"Bearer {FakeNode.Token}", q.Authorization));
        Assert.Equal(4, node.Requests.Count);
    }

    [Fact]
    public void No_node_exits_5_naming_the_URL_and_how_to_start_one()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var cli = new RemoteCli(null);
        string url = $"http://127.0.0.1:{port}";
        var r = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = FakeNode.Token }, "lv", "list", "--node", url);
        RemoteCli.AssertOneLineError(r, 5, $"cannot reach the node at {url}", "ops/node.sh", "--node");
        var env = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = FakeNode.Token, ["FLEETMERGE_NODE"] = url }, "vg", "activate", "vg0");
        RemoteCli.AssertOneLineError(env, 5, $"{url} (from FLEETMERGE_NODE)");
    }

    [Theory]
    [InlineData("lv", "create", "root", "--size", "1M")]
    [InlineData("lv", "create", "vg0/root/x", "--size", "1M")]
    [InlineData("lv", "create", "vg0/", "--size", "1M")]
    [InlineData("lv", "remove", "vg0/ro ot")]
    [InlineData("lv", "create", "vg0/root", "--size", "1X")]
    [InlineData("lv", "create", "vg0/root", "--size", "0")]
    [InlineData("lv", "snapshot", "vg0/root", "--name", "pre", "--size", "1M", "--chunk-size", "3K")]
    [InlineData("lv", "snapshot", "vg0/root", "--size", "1M")]
    [InlineData("lv", "read", "vg0/root", "--out", "x", "--offset", "minus")]
    [InlineData("lv", "merge", "vg0")]
    [InlineData("vg", "create", "bad/name")]
    [InlineData("vg", "list", "--bogus")]
    public async Task Bad_command_lines_exit_2_and_send_nothing(params string[] args)
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        using var cli = new RemoteCli(node);
        var r = cli.Run(args);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.StartsWith("fleetmerge: ", r.StderrLines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Empty(node.Requests);
    }

    [Fact]
    public void A_bad_node_URL_is_a_usage_error()
    {
        using var cli = new RemoteCli(null);
        var r = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_TOKEN"] = FakeNode.Token }, "vg", "list", "--node", "ftp://host");
        RemoteCli.AssertOneLineError(r, 2, "--node 'ftp://host' is not a node URL");
    }
}
