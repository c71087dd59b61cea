using System.Text.Json.Nodes;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>`lv merge` as lvconvert --merge: start, follow (events or polling), LVM's closing words.</summary>
public class LvMergeTests
{
    private static async Task<FakeNode> NodeWithSnapshot(bool originActive = true)
    {
        var node = await FakeNode.StartAsync();
        node.WithGroup("vg0");
        node.WithVolume("vg0", "root", 256 << 10, active: originActive);
        node.WithSnapshot("vg0", "root", "pre", 64 << 10);
        return node;
    }

    [Fact]
    public async Task Follows_the_event_stream_to_the_end_and_says_the_snapshot_was_removed()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre");
        RemoteCli.AssertOk(r);
        Assert.Equal(
            "Merging of volume vg0/pre started.\n"
            + "vg0/pre: Merged: 0.00%\nvg0/pre: Merged: 25.00%\nvg0/pre: Merged: 50.00%\nvg0/pre: Merged: 75.00%\nvg0/pre: Merged: 100.00%\n"
            + "Merge of snapshot into logical volume vg0/root has finished.\n"
            + "Logical volume \"pre\" successfully removed.\n",
            r.Stdout);
        Assert.Equal("""{"mode":"nameorigin"}""", node.Single("POST", "/api/v1/vgs/vg0/lvs/pre/merge").Body.ToJsonString());
        node.Single("GET", "/api/v1/vgs/vg0/lvs/pre/merge/events");
        Assert.DoesNotContain(node.Requests, q => q.Method == "GET" && q.Path.EndsWith("/merge", StringComparison.Ordinal));
        Assert.Null(node.Volume("vg0", "pre"));
    }

    [Fact]
    public async Task Without_an_event_stream_it_polls_the_merge_state()
    {
        await using var node = await NodeWithSnapshot();
        node.Script.Events = false;
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre", "--nameorigin");
        RemoteCli.AssertOk(r);
        Assert.EndsWith("vg0/pre: Merged: 75.00%\nvg0/pre: Merged: 100.00%\n"
            + "Merge of snapshot into logical volume vg0/root has finished.\nLogical volume \"pre\" successfully removed.\n", r.Stdout);
        var polls = node.Requests.Where(q => q.Method == "GET" && q.Path == "/api/v1/vgs/vg0/lvs/pre/merge").ToList();
        Assert.Equal(4, polls.Count);
    }

    [Fact]
    public async Task Namesnapshot_says_which_name_the_result_has()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre", "--namesnapshot");
        RemoteCli.AssertOk(r);
        Assert.Equal("namesnapshot", (string)node.Single("POST", "/merge").Body["mode"]!);
        Assert.Contains("Merge of snapshot into logical volume vg0/pre has finished.\n", r.Stdout);
        Assert.NotNull(node.Volume("vg0", "pre"));
        Assert.Null(node.Volume("vg0", "root"));
    }

    [Fact]
    public async Task Background_returns_once_the_merge_started()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre", "--background");
        RemoteCli.AssertOk(r);
        Assert.Equal("Merging of volume vg0/pre started.\n", r.Stdout);
        Assert.Equal("POST /api/v1/vgs/vg0/lvs/pre/merge", Assert.Single(node.Requests).ToString());
    }

    [Fact]
    public async Task Onactivate_only_marks_the_snapshot()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre", "--onactivate");
        RemoteCli.AssertOk(r);
        Assert.Equal("Merging of snapshot vg0/pre will occur on next activation of vg0/root.\n", r.Stdout);
        var request = Assert.Single(node.Requests);
        Assert.Equal("""{"mode":"onactivate"}""", request.Body.ToJsonString());
    }

    [Fact]
    public async Task A_merge_of_an_inactive_origin_waits_for_activation_as_lvconvert_says()
    {
        await using var node = await NodeWithSnapshot(originActive: false);
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre");
        RemoteCli.AssertOk(r);
        Assert.Equal("Merging of snapshot vg0/pre will occur on next activation of vg0/root.\n", r.Stdout);
        Assert.DoesNotContain(node.Requests, q => q.Path.EndsWith("/events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_merge_exits_3_with_the_nodes_error()
    {
        await using var node = await NodeWithSnapshot();
        node.Script.Steps = [0, 30, 60];
        node.Script.Final = "failed";
        node.Script.Error = "I/O error writing origin chunk 12";
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre");
        RemoteCli.AssertOneLineError(r, 3, "merge of vg0/pre into vg0/root failed at 60.00%: I/O error writing origin chunk 12");
        Assert.DoesNotContain("has finished", r.Stdout);
    }

    [Fact]
    public async Task A_merge_rule_refusal_exits_3_with_the_nodes_message()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        RemoteCli.AssertOk(cli.Run("lv", "merge", "vg0/pre", "--onactivate"));
        var r = cli.Run("lv", "merge", "vg0/pre");
        RemoteCli.AssertOneLineError(r, 3, "cannot merge vg0/pre: vg0/root is already merging");
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Json_prints_the_final_merge_state()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        var r = cli.Run("lv", "merge", "vg0/pre", "--json");
        RemoteCli.AssertOk(r);
        var state = JsonNode.Parse(r.Stdout)!.AsObject();
        Assert.Equal("complete", (string)state["state"]!);
        Assert.Equal(100.0, (double)state["percent"]!);
        Assert.True((bool)state["snapshot_removed"]!);
        Assert.Equal("root", (string)state["origin"]!);
        Assert.Equal(400, (long)state["initial_exceptions"]!);
    }

    [Fact]
    public async Task Merge_modes_exclude_each_other()
    {
        await using var node = await NodeWithSnapshot();
        using var cli = new RemoteCli(node);
        RemoteCli.AssertOneLineError(cli.Run("lv", "merge", "vg0/pre", "--nameorigin", "--namesnapshot"), 2, "exclude each other");
        Assert.Empty(node.Requests);
    }
}
