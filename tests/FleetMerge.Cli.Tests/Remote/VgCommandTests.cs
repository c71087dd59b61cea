using System.Text.Json.Nodes;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>`fleetmerge vg …` against the fake node: requests sent, output printed.</summary>
public class VgCommandTests
{
    [Fact]
    public async Task Create_posts_the_name_with_the_token_and_says_so_as_vgcreate()
    {
        await using var node = await FakeNode.StartAsync();
        using var cli = new RemoteCli(node);
        var r = cli.Run("vg", "create", "vg0");
        RemoteCli.AssertOk(r);
        Assert.Equal("Volume group \"vg0\" successfully created\n", r.Stdout);
        var request = node.Single("POST", "/api/v1/vgs");
        Assert.Equal("/api/v1/vgs", request.Path);
        Assert.Equal($"Bearer {FakeNode.Token}", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("""{"name":"vg0"}""", request.Body.ToJsonString());
    }

    [Fact]
    public async Task Create_json_prints_the_nodes_object()
    {
        await using var node = await FakeNode.StartAsync();
        using var cli = new RemoteCli(node);
        var r = cli.Run("vg", "create", "vg0", "--json");
        RemoteCli.AssertOk(r);
        var vg = JsonNode.Parse(r.Stdout)!.AsObject();
        Assert.Equal(["name", "uuid", "volumes", "active_volumes"], vg.Select(p => p.Key));
        Assert.Equal("vg0", (string)vg["name"]!);
    }

    [Fact]
    public async Task List_prints_a_vgs_table_and_json()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0").WithGroup("data");
        node.WithVolume("vg0", "root", 1 << 20, active: true);
        node.WithVolume("vg0", "home", 1 << 20);
        using var cli = new RemoteCli(node);

        var table = cli.Run("vg", "list");
        RemoteCli.AssertOk(table);
        string[] lines = table.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^  VG\s+#LV #Active UUID$", lines[0]);
        Assert.Matches(@"^  vg0 \s+2 \s+1 \w{6}-\w{4}-\w{4}-\w{4}-\w{4}-\w{4}-\w{6}$", lines[1]);
        Assert.Matches(@"^  data\s+0 \s+0 ", lines[2]);

        var json = cli.Run("vg", "list", "--json");
        RemoteCli.AssertOk(json);
        var groups = JsonNode.Parse(json.Stdout)!.AsArray();
        Assert.Equal(2, groups.Count);
        Assert.Equal(2, (int)groups[0]!["volumes"]!);
        Assert.Equal(1, (int)groups[0]!["active_volumes"]!);
        Assert.All(node.Requests, q => Assert.Equal(("GET", "/api/v1/vgs"), (q.Method, q.Path)));
    }

    [Fact]
    public async Task Activate_reports_merges_it_started_and_the_nodes_notes()
    {
        await using var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "root", 1 << 20);
        node.WithSnapshot("vg0", "root", "pre", 1 << 20);
        node.ActivationNotes.Add("merge of vg0/pre resumed from 40.00%");
        using var cli = new RemoteCli(node);
        RemoteCli.AssertOk(cli.Run("lv", "merge", "vg0/pre", "--onactivate"));

        var r = cli.Run("vg", "activate", "vg0");
        RemoteCli.AssertOk(r);
        Assert.Equal("Volume group \"vg0\" is now active\nMerging of volume vg0/pre started.\nmerge of vg0/pre resumed from 40.00%\n", r.Stdout);
        var request = node.Single("POST", "/api/v1/vgs/vg0/activate");
        Assert.Null(request.Json);

        var off = cli.Run("vg", "deactivate", "vg0");
        RemoteCli.AssertOk(off);
        Assert.Equal("Volume group \"vg0\" is now inactive\n", off.Stdout);
        node.Single("POST", "/api/v1/vgs/vg0/deactivate");
    }
}
