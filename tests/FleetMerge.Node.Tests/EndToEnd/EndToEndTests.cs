using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FleetMerge.Node.Tests.Process;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.EndToEnd;

/// <summary>
/// Issue 4 §5, end to end: the real node process (SQLite, 127.0.0.1, --api-port 0, a temp data
/// directory) driven by the real `fleetmerge` CLI as child processes. A rollback through the node,
/// SIGKILL of the node in the middle of a merge and the resume at the next start, a full COW during
/// origin writes. In the node-process collection: the node processes' tests run one after another.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task Rollback_a_snapshot_merge_through_the_node_brings_back_the_before_image()
    {
        var clock = Stopwatch.StartNew();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        await using var e2e = await EndToEndNode.StartAsync();
        output.WriteLine($"seed {seed}; node ready after {clock.Elapsed.TotalSeconds:0.0} s");
        const int size = 40 * MiB;

        Assert.Equal("Volume group \"vg0\" successfully created\n", e2e.Ok("vg", "create", "vg0").Stdout);
        Assert.Equal("Logical volume \"root\" created.\n", e2e.Ok("lv", "create", "vg0/root", "--size", "40M").Stdout);
        var before = EndToEndNode.Random(random, size);
        e2e.Write("vg0/root", 0, before);
        Assert.Equal("Logical volume \"pre\" created.\n", e2e.Ok("lv", "snapshot", "vg0/root", "--name", "pre", "--size", "80M").Stdout);

        // The "upgrade": a large aligned region and a small unaligned one (partial chunks).
        var after = (byte[])before.Clone();
        var upgrade = EndToEndNode.Random(random, 12 * MiB);
        e2e.Write("vg0/root", 8 * MiB, upgrade);
        upgrade.CopyTo(after, 8 * MiB);
        var patch = EndToEndNode.Random(random, 300_001);
        e2e.Write("vg0/root", 33 * MiB + 1000, patch);
        patch.CopyTo(after, 33 * MiB + 1000);
        EndToEndNode.AssertSameBytes(after, e2e.Read("vg0/root"), "the origin after the upgrade");
        EndToEndNode.AssertSameBytes(before, e2e.Read("vg0/pre"), "the snapshot before the merge");

        var rows = e2e.Lvs("vg0");
        Assert.Equal(["pre", "root"], rows.Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("owi-a-s---", Row(rows, "root").GetProperty("attr").GetString());
        Assert.Equal("swi-a-s---", Row(rows, "pre").GetProperty("attr").GetString());

        var merge = e2e.Ok("lv", "merge", "vg0/pre");
        output.WriteLine(merge.Stdout);
        Assert.StartsWith("Merging of volume vg0/pre started.\n", merge.Stdout);
        Assert.EndsWith("vg0/pre: Merged: 100.00%\n"
            + "Merge of snapshot into logical volume vg0/root has finished.\n"
            + "Logical volume \"pre\" successfully removed.\n", merge.Stdout);

        rows = e2e.Lvs("vg0");
        var root = Assert.Single(rows);
        Assert.Equal("root", root.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("merge_percent").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("origin").ValueKind);
        Assert.Equal("-wi-a-----", root.GetProperty("attr").GetString());
        EndToEndNode.AssertSameBytes(before, e2e.Read("vg0/root"), "the origin after the rollback");

        await e2e.StopAsync();
        output.WriteLine($"total {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Sigkill_of_the_node_mid_merge_then_a_restart_completes_the_merge_with_the_right_bytes()
    {
        const int trials = 3;
        const int size = 32 * MiB;
        var clock = Stopwatch.StartNew();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        // 16 MiB/s: the 32 MiB merge takes about 2 s, long enough to be killed in the middle.
        await using var e2e = await EndToEndNode.StartAsync("--merge-max-rate", "16M");
        output.WriteLine($"node ready after {clock.Elapsed.TotalSeconds:0.0} s");
        e2e.Ok("vg", "create", "vg0");

        var befores = new Dictionary<string, byte[]>();
        int resumed = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            string origin = $"root{trial}", snapshot = $"s{trial}";
            var before = EndToEndNode.Random(random, size);
            befores[origin] = before;
            e2e.Ok("lv", "create", $"vg0/{origin}", "--size", "32M");
            e2e.Write($"vg0/{origin}", 0, before);
            e2e.Ok("lv", "snapshot", $"vg0/{origin}", "--name", snapshot, "--size", "48M");
            // The whole origin changes: every chunk is an exception, the merge copies 32 MiB.
            var upgrade = EndToEndNode.Random(random, size);
            e2e.Write($"vg0/{origin}", 0, upgrade);
            EndToEndNode.AssertSameBytes(before, e2e.Read($"vg0/{snapshot}"), $"trial {trial}: the snapshot's view before the merge");

            Assert.Equal($"Merging of volume vg0/{snapshot} started.\n", e2e.Ok("lv", "merge", $"vg0/{snapshot}", "--background").Stdout);
            int delay = random.Next(0, 1500);
            await Task.Delay(delay);
            var killedAt = clock.Elapsed;
            await e2e.KillAsync();

            var restart = Stopwatch.StartNew();
            await e2e.RestartAsync();
            var ready = restart.Elapsed;

            // The start is an activation: the interrupted merge resumes with no one asking.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            List<JsonElement> family;
            while (true)
            {
                family = [.. e2e.Lvs("vg0").Where(r => r.GetProperty("name").GetString() == origin || r.GetProperty("origin").ValueKind == JsonValueKind.String && r.GetProperty("origin").GetString() == origin)];
                if (!family.Any(r => r.GetProperty("name").GetString() == snapshot)) break;
                Assert.True(DateTime.UtcNow < deadline, $"trial {trial}: {snapshot} still there 30 s after the restart: {string.Join(", ", family)}\n{e2e.Node.Describe("node")}");
                await Task.Delay(200);
            }
            // The volume actors recover (and log their reconcile) after the ready line: look now.
            var lines = e2e.Node.Stderr.Where(l => l.Contains($"vg0/{snapshot}", StringComparison.Ordinal)).ToList();
            if (lines.Any(l => l.Contains("done: resuming", StringComparison.Ordinal))) resumed++;
            output.WriteLine($"trial {trial}: killed {delay} ms after `lv merge --background` returned (t={killedAt.TotalSeconds:0.0} s), "
                + $"ready again after {ready.TotalSeconds:0.0} s, merged {restart.Elapsed.TotalSeconds:0.0} s after the restart\n  "
                + string.Join("\n  ", lines));

            // Disk: the origin holds the snapshot's view from before the merge.
            EndToEndNode.AssertSameBytes(before, e2e.Read($"vg0/{origin}"), $"trial {trial}: the origin after the resumed merge");
            // The node's view: only the origin, no merge left on it.
            var row = Assert.Single(family);
            Assert.Equal(origin, row.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("merge_percent").ValueKind);
            Assert.Equal("-wi-a-----", row.GetProperty("attr").GetString());
            // The journal: the merge state comes from the origin's journal and says complete
            // (nameorigin keeps the origin's UUID, so the namesnapshot 404 limit does not apply).
            using var http = e2e.Http();
            using var response = await http.GetAsync($"/api/v1/vgs/vg0/lvs/{snapshot}/merge");
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"trial {trial}: GET merge {(int)response.StatusCode}: {text}");
            var state = JsonDocument.Parse(text).RootElement;
            Assert.True(state.GetProperty("state").GetString() == "complete", $"trial {trial}: {text}");
            Assert.Equal("nameorigin", state.GetProperty("mode").GetString());
            Assert.Equal(origin, state.GetProperty("origin").GetString());
            Assert.Equal(100.0, state.GetProperty("percent").GetDouble());
            Assert.True(state.GetProperty("snapshot_removed").GetBoolean(), text);
            Assert.Equal(JsonValueKind.Null, state.GetProperty("error").ValueKind);
        }

        // Later kills left the earlier rollbacks alone.
        foreach (var (origin, before) in befores)
            EndToEndNode.AssertSameBytes(before, e2e.Read($"vg0/{origin}"), $"{origin} at the end");
        Assert.Equal([.. befores.Keys.Order(StringComparer.Ordinal)], e2e.Lvs("vg0").Select(r => r.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        await e2e.StopAsync();

        // The journal tells the same story: every origin's last merge event is the completion, once.
        var journal = Journal(e2e.DataDir);
        output.WriteLine(string.Join("\n", journal.Select(j => $"{j.Id} {j.Manifest}")));
        var merging = journal.Where(j => j.Manifest.Contains("merge", StringComparison.Ordinal)).GroupBy(j => j.Id).ToList();
        Assert.Equal(trials, merging.Count);
        foreach (var events in merging)
        {
            Assert.Equal("volume.merge-completed.v1", events.Last().Manifest);
            Assert.Single(events, e => e.Manifest == "volume.merge-completed.v1");
        }
        output.WriteLine($"{resumed} of {trials} kills hit a running merge (the restart logged \"resuming\"); total {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(resumed > 0, "no kill hit a running merge: the test proved nothing about the resume");
    }

    [Fact]
    public async Task A_full_cow_during_origin_writes_invalidates_the_snapshot_and_the_origin_keeps_the_writes()
    {
        var clock = Stopwatch.StartNew();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        await using var e2e = await EndToEndNode.StartAsync();
        const int size = 16 * MiB;
        e2e.Ok("vg", "create", "vg0");
        e2e.Ok("lv", "create", "vg0/root", "--size", "16M");
        var expected = EndToEndNode.Random(random, size);
        e2e.Write("vg0/root", 0, expected);
        e2e.Ok("lv", "snapshot", "vg0/root", "--name", "small", "--size", "1M");

        // 8 MiB of new chunks into a 1 MiB COW: it fills in the middle of the write.
        var data = EndToEndNode.Random(random, 8 * MiB);
        e2e.Write("vg0/root", 2 * MiB, data);
        data.CopyTo(expected, 2 * MiB);

        var rows = e2e.Lvs("vg0");
        output.WriteLine(string.Join("\n", rows));
        var snapshot = Row(rows, "small");
        string attr = snapshot.GetProperty("attr").GetString()!;
        Assert.True(attr.Length == 10 && attr[0] == 's' && attr[4] == 'I', $"the snapshot's attr: {attr}");
        Assert.Equal("root", snapshot.GetProperty("origin").GetString());
        Assert.Equal("owi-a-s---", Row(rows, "root").GetProperty("attr").GetString());
        EndToEndNode.AssertSameBytes(expected, e2e.Read("vg0/root"), "the origin after the write that filled the COW");

        // The origin goes on working with an invalid snapshot.
        var more = EndToEndNode.Random(random, MiB + 12345);
        e2e.Write("vg0/root", 12 * MiB + 7, more);
        more.CopyTo(expected, 12 * MiB + 7);
        EndToEndNode.AssertSameBytes(expected, e2e.Read("vg0/root"), "the origin after a further write");
        Assert.Equal('I', Row(e2e.Lvs("vg0"), "small").GetProperty("attr").GetString()![4]);

        await e2e.StopAsync();
        output.WriteLine($"total {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static JsonElement Row(IEnumerable<JsonElement> rows, string name) =>
        rows.Single(r => r.GetProperty("name").GetString() == name);

    private static List<(string Id, string Manifest)> Journal(string dataDir)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "journal.db"), Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT persistence_id, manifest FROM journal WHERE persistence_id LIKE 'volume-%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var list = new List<(string, string)>();
        while (reader.Read()) list.Add((reader.GetString(0), reader.GetString(1)));
        return list;
    }

    [Fact]
    public async Task A_name_with_a_newline_in_the_path_gets_a_one_line_404()
    {
        // Found by ops/torture.sh --only api-abuse: the 404 quoted the decoded name, newline and all.
        await using var e2e = await EndToEndNode.StartAsync();
        using var http = e2e.Http();
        using var response = await http.GetAsync("api/v1/vgs/a%0Ab/lvs");
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        string error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
        Assert.DoesNotContain('\n', error);
        Assert.Contains("a\\nb", error);
    }
}
