using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>The vg/lv API of a real node (API.md): each test works in its own volume group.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed partial class VolumeApiTests(VolumeNode node, ITestOutputHelper output) : IClassFixture<VolumeNode>
{
    private const int MiB = 1 << 20;
    private static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Delete = HttpMethod.Delete;

    private static readonly string[] LvRowFields = ["name", "vg", "attr", "size_bytes", "origin", "data_percent", "merge_percent", "uuid", "minor"];
    private static readonly string[] MergeStateFields =
        ["vg", "snapshot", "origin", "mode", "state", "percent", "merged_exceptions", "initial_exceptions", "status", "snapshot_removed", "error"];

    [GeneratedRegex("^[0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}$")]
    private static partial Regex LvmUuid();

    private static string[] Fields(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    private static async Task<JsonElement> CreateVgAsync(VolumeApi api, string vg) =>
        await api.ExpectAsync(HttpStatusCode.Created, Post, "/api/v1/vgs", $$"""{"name":"{{vg}}"}""");

    private static async Task<JsonElement> CreateLvAsync(VolumeApi api, string vg, string lv, long size) =>
        await api.ExpectAsync(HttpStatusCode.Created, Post, $"/api/v1/vgs/{vg}/lvs", $$"""{"name":"{{lv}}","size_bytes":{{size}}}""");

    private static async Task<JsonElement> SnapshotAsync(VolumeApi api, string vg, string lv, string name, long size, string more = "") =>
        await api.ExpectAsync(HttpStatusCode.Created, Post, $"/api/v1/vgs/{vg}/lvs/{lv}/snapshots", $$"""{"name":"{{name}}","size_bytes":{{size}}{{more}}}""");

    private static async Task<JsonElement> RowAsync(VolumeApi api, string vg, string lv)
    {
        var rows = await api.OkAsync(Get, $"/api/v1/lvs?vg={vg}");
        return rows.EnumerateArray().Single(r => r.GetProperty("name").GetString() == lv);
    }

    [Fact]
    public async Task Volume_groups_are_created_and_listed()
    {
        using var api = node.Client();
        var vg = await CreateVgAsync(api, "vga");
        Assert.Equal(["name", "uuid", "volumes", "active_volumes"], Fields(vg));
        Assert.Equal(("vga", 0, 0), (vg.GetProperty("name").GetString(), vg.GetProperty("volumes").GetInt32(), vg.GetProperty("active_volumes").GetInt32()));
        Assert.Matches(LvmUuid(), vg.GetProperty("uuid").GetString());
        Assert.True(Directory.Exists(Path.Combine(node.DataDir, "vgs", "vga")));

        await CreateLvAsync(api, "vga", "root", MiB);
        var listed = (await api.OkAsync(Get, "/api/v1/vgs")).EnumerateArray().Single(v => v.GetProperty("name").GetString() == "vga");
        Assert.Equal((1, 1), (listed.GetProperty("volumes").GetInt32(), listed.GetProperty("active_volumes").GetInt32()));

        Assert.Contains("already exists", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs", """{"name":"vga"}"""));
        Assert.Contains("invalid volume group name '../x'", await api.ErrorAsync(HttpStatusCode.BadRequest, Post, "/api/v1/vgs", """{"name":"../x"}"""));
        Assert.Contains("missing required property", await api.ErrorAsync(HttpStatusCode.BadRequest, Post, "/api/v1/vgs", "{}"));

        Assert.Empty((await api.OkAsync(Post, "/api/v1/vgs/vga/deactivate")).EnumerateObject());
        var activated = await api.OkAsync(Post, "/api/v1/vgs/vga/activate");
        Assert.Equal(["started_merges", "notes"], Fields(activated));
        Assert.Empty(activated.GetProperty("started_merges").EnumerateArray());
    }

    [Fact]
    public async Task Volumes_and_snapshots_have_lvs_rows()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vgb");
        var root = await CreateLvAsync(api, "vgb", "root", 4 * MiB);
        Assert.Equal(LvRowFields, Fields(root));
        Assert.Equal(("root", "vgb", "-wi-a-----", 4L * MiB, 0), (root.GetProperty("name").GetString(), root.GetProperty("vg").GetString(),
            root.GetProperty("attr").GetString(), root.GetProperty("size_bytes").GetInt64(), root.GetProperty("minor").GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("origin").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("data_percent").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("merge_percent").ValueKind);
        Assert.Matches(LvmUuid(), root.GetProperty("uuid").GetString());

        await api.WriteAsync("vgb", "root", 0, VolumeApi.Pattern(1, MiB));
        var snap = await SnapshotAsync(api, "vgb", "root", "s1", 2 * MiB, ""","chunk_bytes":8192""");
        Assert.Equal(LvRowFields, Fields(snap));
        Assert.Equal(("s1", "swi-a-s---", "root", 2L * MiB, 1), (snap.GetProperty("name").GetString(), snap.GetProperty("attr").GetString(),
            snap.GetProperty("origin").GetString(), snap.GetProperty("size_bytes").GetInt64(), snap.GetProperty("minor").GetInt32()));
        double empty = snap.GetProperty("data_percent").GetDouble();

        await api.WriteAsync("vgb", "root", 0, VolumeApi.Pattern(2, MiB)); // copies 1 MiB into the COW
        var s1 = await RowAsync(api, "vgb", "s1");
        Assert.InRange(s1.GetProperty("data_percent").GetDouble(), empty + 45, 60);
        Assert.Equal("owi-a-s---", (await RowAsync(api, "vgb", "root")).GetProperty("attr").GetString());
        var all = await api.OkAsync(Get, "/api/v1/lvs");
        Assert.Contains(all.EnumerateArray(), r => r.GetProperty("vg").GetString() == "vgb" && r.GetProperty("name").GetString() == "s1");
        Assert.Equal(2, (await api.OkAsync(Get, "/api/v1/vgs/vgb/lvs")).GetArrayLength());
    }

    [Fact]
    public async Task Data_written_is_read_back()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vgd");
        await CreateLvAsync(api, "vgd", "data", 2 * MiB);
        var pattern = VolumeApi.Pattern(7, 300_000);
        await api.WriteAsync("vgd", "data", 4096, pattern);
        Assert.Equal(pattern, await api.ReadAsync("vgd", "data", 4096, pattern.Length));
        Assert.Equal(new byte[4096], await api.ReadAsync("vgd", "data", 0, 4096));

        Assert.Contains("beyond the end of vgd/data", await api.ErrorAsync(HttpStatusCode.BadRequest, Get, "/api/v1/vgs/vgd/lvs/data/data?offset=2093152&length=10000"));
        Assert.Contains("at most 67108864", await api.ErrorAsync(HttpStatusCode.BadRequest, Get, "/api/v1/vgs/vgd/lvs/data/data?offset=0&length=67108865"));
        Assert.Contains("offset: 'abc'", await api.ErrorAsync(HttpStatusCode.BadRequest, Get, "/api/v1/vgs/vgd/lvs/data/data?offset=abc&length=1"));
        using (var tooFar = new ByteArrayContent(new byte[1024]))
        {
            using var response = await api.Client.PutAsync("/api/v1/vgs/vgd/lvs/data/data?offset=2097000", tooFar);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        await api.OkAsync(Post, "/api/v1/vgs/vgd/lvs/data/deactivate");
        Assert.Contains("not active", await api.ErrorAsync(HttpStatusCode.Conflict, Get, "/api/v1/vgs/vgd/lvs/data/data?offset=0&length=1"));
        Assert.Equal('a', (await api.OkAsync(Post, "/api/v1/vgs/vgd/lvs/data/activate")).GetProperty("attr").GetString()![4]);
        Assert.Equal(pattern, await api.ReadAsync("vgd", "data", 4096, pattern.Length));
    }

    [Fact]
    public async Task A_merge_is_polled_until_complete_and_the_snapshot_is_gone()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vgm");
        await CreateLvAsync(api, "vgm", "root", 8 * MiB);
        var before = VolumeApi.Pattern(3, 8 * MiB);
        await api.WriteAsync("vgm", "root", 0, before);
        await SnapshotAsync(api, "vgm", "root", "s1", 16 * MiB);
        await api.WriteAsync("vgm", "root", 0, VolumeApi.Pattern(4, 8 * MiB));
        Assert.Equal(before, await api.ReadAsync("vgm", "s1", 0, 8 * MiB));

        var started = await api.ExpectAsync(HttpStatusCode.Accepted, Post, "/api/v1/vgs/vgm/lvs/s1/merge");
        Assert.Equal(MergeStateFields, Fields(started));
        Assert.Equal(("vgm", "s1", "root", "nameorigin", "running", 2048), (started.GetProperty("vg").GetString(), started.GetProperty("snapshot").GetString(),
            started.GetProperty("origin").GetString(), started.GetProperty("mode").GetString(), started.GetProperty("state").GetString(),
            started.GetProperty("initial_exceptions").GetInt32()));
        Assert.Matches(@"^\d+/\d+ \d+$", started.GetProperty("status").GetString());

        var seen = await api.PollMergeAsync("vgm", "s1", m => m.GetProperty("state").GetString() == "complete");
        output.WriteLine(string.Join("\n", seen.Select(s => $"{s.GetProperty("state")} {s.GetProperty("percent")}")));
        var done = seen[^1];
        Assert.Equal((100.0, 2048, true), (done.GetProperty("percent").GetDouble(), done.GetProperty("merged_exceptions").GetInt32(), done.GetProperty("snapshot_removed").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.All(seen, s => Assert.Contains(s.GetProperty("state").GetString(), new[] { "running", "complete" }));

        Assert.Equal(["root"], (await api.OkAsync(Get, "/api/v1/lvs?vg=vgm")).EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("-wi-a-----", (await RowAsync(api, "vgm", "root")).GetProperty("attr").GetString());
        Assert.Equal(before, await api.ReadAsync("vgm", "root", 0, 8 * MiB));
        Assert.Equal("complete", (await api.OkAsync(Get, "/api/v1/vgs/vgm/lvs/s1/merge")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Merge_progress_as_server_sent_events_ends_after_complete()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vge");
        await CreateLvAsync(api, "vge", "root", 8 * MiB);
        await SnapshotAsync(api, "vge", "root", "s1", 16 * MiB);
        await api.WriteAsync("vge", "root", 0, VolumeApi.Pattern(5, 8 * MiB));
        var started = await api.ExpectAsync(HttpStatusCode.Accepted, Post, "/api/v1/vgs/vge/lvs/s1/merge", """{"mode":"nameorigin"}""");
        Assert.Equal("running", started.GetProperty("state").GetString());

        using var response = await api.Client.GetAsync("/api/v1/vgs/vge/lvs/s1/merge/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string stream = await response.Content.ReadAsStringAsync(); // ends: the server closes after the terminal state
        var events = stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => Assert.Single(e.Split('\n'), l => l.StartsWith("data: ", StringComparison.Ordinal)))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement.Clone()).ToList();
        output.WriteLine(stream);
        Assert.NotEmpty(events);
        Assert.Equal("complete", events[^1].GetProperty("state").GetString());
        Assert.All(events.SkipLast(1), e => Assert.Equal("running", e.GetProperty("state").GetString()));
        Assert.Equal(MergeStateFields, Fields(events[^1]));

        Assert.Contains("no merge known", await api.ErrorAsync(HttpStatusCode.NotFound, Get, "/api/v1/vgs/vge/lvs/root/merge/events"));
    }

    [Fact]
    public async Task Merge_rules_refuse_with_409()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vgc");
        await CreateLvAsync(api, "vgc", "root", MiB);
        await SnapshotAsync(api, "vgc", "root", "s1", 2 * MiB);
        await SnapshotAsync(api, "vgc", "root", "s2", 2 * MiB);

        Assert.Contains("namesnapshot needs exactly one", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/s1/merge", """{"mode":"namesnapshot"}"""));
        var pending = await api.ExpectAsync(HttpStatusCode.Accepted, Post, "/api/v1/vgs/vgc/lvs/s1/merge", """{"mode":"onactivate"}""");
        Assert.Equal(("pending", "onactivate"), (pending.GetProperty("state").GetString(), pending.GetProperty("mode").GetString()));
        Assert.Equal("pending", (await api.OkAsync(Get, "/api/v1/vgs/vgc/lvs/s1/merge")).GetProperty("state").GetString());
        Assert.Equal("Owi-a-s---", (await RowAsync(api, "vgc", "root")).GetProperty("attr").GetString());
        Assert.Equal("Swi-a-s---", (await RowAsync(api, "vgc", "s1")).GetProperty("attr").GetString());

        Assert.Contains("already requested", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/s1/merge", "{}"));
        Assert.Contains("already merging snapshot vgc/s1", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/s2/merge"));
        Assert.Contains("it is merging snapshot vgc/s1", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/root/snapshots", """{"name":"s3","size_bytes":1048576}"""));
        Assert.Contains("only a snapshot merges", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/root/merge"));
        Assert.Contains("has snapshots", await api.ErrorAsync(HttpStatusCode.Conflict, Delete, "/api/v1/vgs/vgc/lvs/root"));
        Assert.Contains("a volume of that name exists", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs", """{"name":"s2","size_bytes":1048576}"""));
        Assert.Contains("a volume of that name exists", await api.ErrorAsync(HttpStatusCode.Conflict, Post, "/api/v1/vgs/vgc/lvs/s2/rename", """{"new_name":"root"}"""));
    }

    [Theory]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v","size_bytes":1000}""", "volume size 1000 bytes is not a multiple of 512")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v","size_bytes":0}""", "volume size 0 bytes")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v","size_bytes":-512}""", "volume size -512 bytes")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"bad/name","size_bytes":1048576}""", "invalid volume name 'bad/name'")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"snapshot1","size_bytes":1048576}""", "reserved")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v","size_bytes":"big"}""", "invalid JSON body")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v","size":1048576}""", "unknown property 'size'")]
    [InlineData("/api/v1/vgs/vgx/lvs", """{"name":"v",""", "invalid JSON body")]
    [InlineData("/api/v1/vgs/vgx/lvs/root/snapshots", """{"name":"s","size_bytes":1048576,"chunk_bytes":3000}""", "chunk size 3000 bytes is not a power of two")]
    [InlineData("/api/v1/vgs/vgx/lvs/root/snapshots", """{"name":"s","size_bytes":4194304,"chunk_bytes":1048576}""", "outside 4K..512K")]
    [InlineData("/api/v1/vgs/vgx/lvs/root/snapshots", """{"name":"s","size_bytes":8192}""", "too small for chunk size")]
    [InlineData("/api/v1/vgs/vgx/lvs/root/rename", """{"new_name":"a b"}""", "invalid volume name 'a b'")]
    [InlineData("/api/v1/vgs/vgx/lvs/snap/merge", """{"mode":"sideways"}""", "unknown merge mode 'sideways'")]
    public async Task Bad_input_is_400_naming_the_problem(string path, string json, string expected)
    {
        using var api = node.Client();
        await EnsureVgxAsync(api);
        Assert.Contains(expected, await api.ErrorAsync(HttpStatusCode.BadRequest, Post, path, json));
    }

    private static async Task EnsureVgxAsync(VolumeApi api)
    {
        var (status, _) = await api.PostAsync("/api/v1/vgs", """{"name":"vgx"}""");
        if (status == HttpStatusCode.Created)
        {
            await CreateLvAsync(api, "vgx", "root", MiB);
            await SnapshotAsync(api, "vgx", "root", "snap", MiB);
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1/vgs/nope/lvs", null, "volume group nope")]
    [InlineData("GET", "/api/v1/lvs?vg=nope", null, "volume group nope")]
    [InlineData("POST", "/api/v1/vgs/nope/activate", null, "volume group nope")]
    [InlineData("POST", "/api/v1/vgs/nope/lvs", """{"name":"v","size_bytes":1048576}""", "volume group nope")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs/nope/snapshots", """{"name":"s","size_bytes":1048576}""", "vgx/nope: no such volume")]
    [InlineData("DELETE", "/api/v1/vgs/vgx/lvs/nope", null, "vgx/nope: no such volume")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs/nope/rename", """{"new_name":"x"}""", "vgx/nope: no such volume")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs/nope/activate", null, "vgx/nope: no such volume")]
    [InlineData("GET", "/api/v1/vgs/vgx/lvs/nope/data?offset=0&length=1", null, "vgx/nope: no such volume")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs/nope/merge", null, "vgx/nope: no such volume")]
    [InlineData("GET", "/api/v1/vgs/vgx/lvs/nope/merge", null, "vgx/nope: no merge known")]
    [InlineData("GET", "/api/v1/vgs/vgx/lvs/snap/merge", null, "vgx/snap: no merge known")]
    public async Task Unknown_groups_and_volumes_are_404(string method, string path, string? json, string expected)
    {
        using var api = node.Client();
        await EnsureVgxAsync(api);
        Assert.Contains(expected, await api.ErrorAsync(HttpStatusCode.NotFound, new HttpMethod(method), path, json));
    }

    [Theory]
    [InlineData("GET", "/api/v1/vgs")]
    [InlineData("POST", "/api/v1/vgs")]
    [InlineData("GET", "/api/v1/lvs")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs")]
    [InlineData("DELETE", "/api/v1/vgs/vgx/lvs/root")]
    [InlineData("PUT", "/api/v1/vgs/vgx/lvs/root/data?offset=0")]
    [InlineData("GET", "/api/v1/vgs/vgx/lvs/root/data?offset=0&length=1")]
    [InlineData("POST", "/api/v1/vgs/vgx/lvs/snap/merge")]
    [InlineData("GET", "/api/v1/vgs/vgx/lvs/snap/merge/events")]
    public async Task Without_a_token_these_routes_are_401_and_do_nothing(string method, string path)
    {
        using var anonymous = new VolumeApi(NodeProcess.Client(node.Api, null));
        var body = await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, new HttpMethod(method), path, method is "POST" ? """{"name":"vgq"}""" : null);
        Assert.Contains("missing bearer token", body.GetProperty("error").GetString());
        using var api = node.Client();
        Assert.DoesNotContain((await api.OkAsync(Get, "/api/v1/vgs")).EnumerateArray(), v => v.GetProperty("name").GetString() == "vgq");
    }

    [Fact]
    public async Task Rename_activation_and_removal()
    {
        using var api = node.Client();
        await CreateVgAsync(api, "vgr");
        await CreateLvAsync(api, "vgr", "root", MiB);
        await SnapshotAsync(api, "vgr", "root", "s1", MiB);
        var renamed = await api.OkAsync(Post, "/api/v1/vgs/vgr/lvs/s1/rename", """{"new_name":"nightly"}""");
        Assert.Equal(LvRowFields, Fields(renamed));
        Assert.Equal(("nightly", "root"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("origin").GetString()));

        Assert.Equal("owi---s---", (await api.OkAsync(Post, "/api/v1/vgs/vgr/lvs/root/deactivate")).GetProperty("attr").GetString());
        Assert.Equal("swi---s---", (await RowAsync(api, "vgr", "nightly")).GetProperty("attr").GetString());
        Assert.Equal("swi-a-s---", (await api.OkAsync(Post, "/api/v1/vgs/vgr/lvs/nightly/activate")).GetProperty("attr").GetString());

        using (var response = await api.Client.DeleteAsync("/api/v1/vgs/vgr/lvs/nightly")) Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using (var response = await api.Client.DeleteAsync("/api/v1/vgs/vgr/lvs/root")) Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, (await api.OkAsync(Get, "/api/v1/vgs/vgr/lvs")).GetArrayLength());
        Assert.False(File.Exists(Path.Combine(node.DataDir, "vgs", "vgr", "root.img")));
    }
}
