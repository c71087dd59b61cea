using System.Text.Json.Nodes;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>`fleetmerge lv list|create|snapshot|remove|rename|activate|deactivate` against the fake node.</summary>
public class LvCommandTests
{
    private static async Task<FakeNode> NodeWithGroup()
    {
        var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        return node;
    }

    [Fact]
    public async Task Create_sends_name_and_size_in_bytes()
    {
        await using var node = await NodeWithGroup();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "create", "vg0/root", "--size", "1G");
        RemoteCli.AssertOk(r);
        Assert.Equal("Logical volume \"root\" created.\n", r.Stdout);
        var request = node.Single("POST", "/api/v1/vgs/vg0/lvs");
        Assert.Equal("""{"name":"root","size_bytes":1073741824}""", request.Body.ToJsonString());
        Assert.Equal($"Bearer {FakeNode.Token}", request.Authorization);
    }

    [Fact]
    public async Task Snapshot_sends_name_cow_size_and_chunk_size_4K_by_default()
    {
        await using var node = await NodeWithGroup();
        node.WithVolume("vg0", "root", 1 << 20);
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "snapshot", "vg0/root", "--name", "pre", "--size", "200M");
        RemoteCli.AssertOk(r);
        Assert.Equal("Logical volume \"pre\" created.\n", r.Stdout);
        Assert.Equal("""{"name":"pre","size_bytes":209715200,"chunk_bytes":4096}""",
            node.Single("POST", "/api/v1/vgs/vg0/lvs/root/snapshots").Body.ToJsonString());

        var json = cli.Run("lv", "snapshot", "vg0/root", "--name", "pre2", "--size", "1M", "--chunk-size", "64K", "--json");
        RemoteCli.AssertOk(json);
        Assert.Equal(65536, (long)node.Requests[^1].Body["chunk_bytes"]!);
        Assert.Equal("root", (string)JsonNode.Parse(json.Stdout)!["origin"]!);
    }

    [Fact]
    public async Task Remove_rename_activate_deactivate_send_what_LVM_would_and_print_its_words()
    {
        await using var node = await NodeWithGroup();
        node.WithVolume("vg0", "root", 1 << 20);
        node.WithVolume("vg0", "scratch", 1 << 20);
        using var cli = new RemoteCli(node);

        var rename = cli.Run("lv", "rename", "vg0/root", "sys");
        RemoteCli.AssertOk(rename);
        Assert.Equal("Renamed \"root\" to \"sys\" in volume group \"vg0\"\n", rename.Stdout);
        Assert.Equal("""{"new_name":"sys"}""", node.Single("POST", "/api/v1/vgs/vg0/lvs/root/rename").Body.ToJsonString());

        // LVM's lvrename also takes VG/NEW in the same group.
        RemoteCli.AssertOk(cli.Run("lv", "rename", "vg0/sys", "vg0/root"));
        Assert.Equal("""{"new_name":"root"}""", node.Single("POST", "/api/v1/vgs/vg0/lvs/sys/rename").Body.ToJsonString());
        RemoteCli.AssertOneLineError(cli.Run("lv", "rename", "vg0/root", "vg1/root"), 2, "stays in its group");

        var on = cli.Run("lv", "activate", "vg0/root");
        RemoteCli.AssertOk(on);
        Assert.Equal("Logical volume \"vg0/root\" is now active.\n", on.Stdout);
        Assert.True(node.Volume("vg0", "root")!.Active);
        var off = cli.Run("lv", "deactivate", "vg0/root", "--json");
        RemoteCli.AssertOk(off);
        Assert.Equal("-wi-------", (string)JsonNode.Parse(off.Stdout)!["attr"]!);
        node.Single("POST", "/api/v1/vgs/vg0/lvs/root/deactivate");

        var remove = cli.Run("lv", "remove", "vg0/scratch");
        RemoteCli.AssertOk(remove);
        Assert.Equal("Logical volume \"scratch\" successfully removed.\n", remove.Stdout);
        var delete = node.Single("DELETE", "/api/v1/vgs/vg0/lvs/scratch");
        Assert.Null(delete.Json);
        Assert.Null(node.Volume("vg0", "scratch"));
    }

    private static async Task<FakeNode> NodeWithFamily()
    {
        var node = await NodeWithGroup();
        node.WithGroup("data");
        node.WithVolume("vg0", "root", 1L << 30, active: true);
        var snapshot = node.WithSnapshot("vg0", "root", "pre", 200L << 20, dataPercent: 12.346);
        snapshot.MergePercent = 37.5;
        node.WithVolume("data", "big", (1L << 30) + (1L << 20));
        return node;
    }

    [Fact]
    public async Task List_prints_an_lvs_table_with_human_sizes_and_two_decimal_percents()
    {
        await using var node = await NodeWithFamily();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "list");
        RemoteCli.AssertOk(r);
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^  LV\s+VG\s+Attr\s+LSize Origin Data%\s+Merge% UUID\s+Minor$", lines[0]);
        string[] root = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["root", "vg0", "owi-a-s---", "1.00g"], root[..4]);
        Assert.Matches(@"^\w{6}-", root[4]);
        Assert.Equal("0", root[5]);
        string[] pre = lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["pre", "vg0", "swi-a-s---", "200.00m", "root", "12.35", "37.50"], pre[..7]);
        Assert.Equal("1", pre[^1]);
        Assert.Contains("big  data", lines[3]);
        Assert.Contains("<1.01g", lines[3]);
        // Columns line up under their headers: numbers right-aligned, text left-aligned.
        int lsizeEnd = lines[0].IndexOf("LSize", StringComparison.Ordinal) + "LSize".Length;
        Assert.Equal("1.00g", lines[1][(lsizeEnd - 5)..lsizeEnd]);
        int originStart = lines[0].IndexOf("Origin", StringComparison.Ordinal);
        Assert.Equal("root", lines[2].Substring(originStart, 4));
        Assert.Equal(' ', lines[1][originStart]); // blank Origin, Data% and Merge% for a plain origin
        Assert.Equal("GET /api/v1/lvs", Assert.Single(node.Requests).ToString());
    }

    [Fact]
    public async Task List_of_one_group_asks_the_node_for_that_group()
    {
        await using var node = await NodeWithFamily();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "list", "data");
        RemoteCli.AssertOk(r);
        Assert.Equal(2, r.Stdout.TrimEnd('\n').Split('\n').Length);
        Assert.Equal("GET /api/v1/lvs?vg=data", Assert.Single(node.Requests).ToString());
    }

    [Fact]
    public async Task List_json_gives_the_rows_exactly_as_the_API_does()
    {
        await using var node = await NodeWithFamily();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "list", "vg0", "--json");
        RemoteCli.AssertOk(r);
        var rows = JsonNode.Parse(r.Stdout)!.AsArray();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
            Assert.Equal(["name", "vg", "attr", "size_bytes", "origin", "data_percent", "merge_percent", "uuid", "minor"], row!.AsObject().Select(p => p.Key));
        var root = rows[0]!.AsObject();
        Assert.Equal(1L << 30, (long)root["size_bytes"]!);
        Assert.Null(root["origin"]);
        Assert.Null(root["data_percent"]);
        var pre = rows[1]!.AsObject();
        Assert.Equal("root", (string)pre["origin"]!);
        Assert.Equal(12.346, (double)pre["data_percent"]!);
        Assert.Equal(37.5, (double)pre["merge_percent"]!);
        Assert.Equal(1, (int)pre["minor"]!);
    }

    [Fact]
    public async Task Options_may_come_before_the_subcommand_and_the_node_may_come_from_the_environment()
    {
        await using var node = await NodeWithFamily();
        using var cli = new RemoteCli(node);
        var before = cli.RunWith(new Dictionary<string, string?>(), "lv", "--node", node.Url, "--token-file", cli.TokenFile, "list", "data");
        RemoteCli.AssertOk(before);
        var fromEnv = cli.RunWith(new Dictionary<string, string?> { ["FLEETMERGE_NODE"] = node.Url, ["FLEETMERGE_TOKEN"] = FakeNode.Token },
            "lv", "list", "data");
        RemoteCli.AssertOk(fromEnv);
        Assert.Equal(before.Stdout, fromEnv.Stdout);
    }
}
