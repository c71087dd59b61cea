using System.Data.Common;
using System.Net;
using FleetMerge.Node.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>
/// A real restart of the node process: merge history comes back from the journal, and a merge
/// marked onactivate runs at the next start with no one asking. Once with SQLite (the default),
/// once with PostgreSQL (FLEETMERGE_TEST_POSTGRES: without it the test fails, it never skips).
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class VolumeRestartTests(ITestOutputHelper output)
{
    private const int Size = 4 << 20;

    [Fact]
    public async Task Sqlite_an_onactivate_merge_runs_at_the_next_start_and_the_history_survives()
    {
        using var dir = new TempDir("fleetmerge-node-restart");
        var manifests = await RestartScenarioAsync(dir.Path, [], () =>
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir.Path, "journal.db"), Pooling = false }.ToString());
            db.Open();
            return Manifests(db);
        });
        Assert.Equal("volume.merge-completed.v1", manifests[^1]);
    }

    [Fact]
    public async Task Postgres_an_onactivate_merge_runs_at_the_next_start_and_the_history_survives()
    {
        using var schema = new PostgresSchema();
        using var dir = new TempDir("fleetmerge-node-restart-pg");
        var manifests = await RestartScenarioAsync(dir.Path, ["--persistence", "postgres", "--postgres", schema.ConnectionString], () =>
        {
            using var db = new NpgsqlConnection(schema.ConnectionString);
            db.Open();
            return Manifests(db);
        });
        Assert.Equal("volume.merge-completed.v1", manifests[^1]);
        Assert.Contains("journal", schema.Tables());
    }

    private static List<string> Manifests(DbConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT manifest FROM journal WHERE persistence_id LIKE 'volume-%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(0));
        return list;
    }

    private async Task<List<string>> RestartScenarioAsync(string dataDir, string[] args, Func<List<string>> journal)
    {
        var a = VolumeApi.Pattern(11, Size);
        await using (var first = NodeProcess.StartOn(dataDir, args))
        {
            using var api = new VolumeApi(NodeProcess.Client(await first.WaitForReadyAsync(), File.ReadAllText(Path.Combine(dataDir, "api-token")).Trim()));
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs", """{"name":"vg0"}""");
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs/vg0/lvs", $$"""{"name":"root","size_bytes":{{Size}}}""");
            // A merge that completes now: its state must survive the restart.
            await api.WriteAsync("vg0", "root", 0, VolumeApi.Pattern(10, Size));
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs/vg0/lvs/root/snapshots", $$"""{"name":"s0","size_bytes":{{2 * Size}}}""");
            await api.WriteAsync("vg0", "root", 0, a);
            await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/v1/vgs/vg0/lvs/s0/merge");
            await api.PollMergeAsync("vg0", "s0", m => m.GetProperty("state").GetString() == "complete");
            // A merge marked for the next activation.
            await api.WriteAsync("vg0", "root", 0, a);
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs/vg0/lvs/root/snapshots", $$"""{"name":"s1","size_bytes":{{2 * Size}}}""");
            await api.WriteAsync("vg0", "root", 0, VolumeApi.Pattern(12, Size));
            var pending = await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/v1/vgs/vg0/lvs/s1/merge", """{"mode":"onactivate"}""");
            Assert.Equal("pending", pending.GetProperty("state").GetString());
            first.Signal(NodeProcess.SIGTERM);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }
        Assert.Equal("volume.merge-marked-on-activate.v1", journal()[^1]);

        await using var second = NodeProcess.StartOn(dataDir, args);
        using (var api = new VolumeApi(NodeProcess.Client(await second.WaitForReadyAsync(), File.ReadAllText(Path.Combine(dataDir, "api-token")).Trim())))
        {
            var done = await api.PollMergeAsync("vg0", "s1", m => m.GetProperty("state").GetString() == "complete");
            Assert.Equal(("onactivate", true), (done[^1].GetProperty("mode").GetString(), done[^1].GetProperty("snapshot_removed").GetBoolean()));
            Assert.Equal(a, await api.ReadAsync("vg0", "root", 0, Size));
            var s0 = await api.OkAsync(HttpMethod.Get, "/api/v1/vgs/vg0/lvs/s0/merge");
            Assert.Equal(("complete", 100.0), (s0.GetProperty("state").GetString(), s0.GetProperty("percent").GetDouble()));
            Assert.Equal(["root"], (await api.OkAsync(HttpMethod.Get, "/api/v1/lvs")).EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        }
        Assert.Contains(second.Stderr, l => l.Contains("vg=vg0 lv=root: recovered from the journal", StringComparison.Ordinal) && l.Contains("starts with this activation", StringComparison.Ordinal));
        second.Signal(NodeProcess.SIGTERM);
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        var manifests = journal();
        output.WriteLine(string.Join("\n", manifests));
        var tail = manifests.SkipWhile(m => m != "volume.merge-marked-on-activate.v1").ToList();
        Assert.Equal(["volume.merge-marked-on-activate.v1", "volume.merge-started.v1"], tail.Take(2));
        return manifests;
    }
}
