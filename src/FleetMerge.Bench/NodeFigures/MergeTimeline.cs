using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// Where a node merge's time went, read back from the node's journal after it stopped: the copy
/// (MergeStarted to the checkpoint that says no exception is left, which the volume actor receives
/// as soon as the copy ends) and the finish (to MergeCompleted: the group removes the snapshot,
/// then the completion is journaled). The offline <c>cow merge</c> only does the copy.
/// </summary>
public sealed record MergeTimeline(string Snapshot, TimeSpan Copy, TimeSpan Finish)
{
    public static IReadOnlyList<MergeTimeline> Read(string journalDb)
    {
        var started = new Dictionary<string, (string Name, DateTimeOffset At)>();
        var copied = new Dictionary<string, DateTimeOffset>();
        var timelines = new List<MergeTimeline>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journalDb, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, message FROM journal WHERE manifest LIKE 'volume.merge-%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            using var json = JsonDocument.Parse((byte[])reader["message"]);
            var e = json.RootElement;
            string uuid = e.GetProperty("snapshot_uuid").GetString()!;
            switch (reader.GetString(0))
            {
                case "volume.merge-started.v1":
                    started[uuid] = (e.GetProperty("snapshot").GetString()!, e.GetProperty("at").GetDateTimeOffset());
                    break;
                case "volume.merge-progressed.v1" when e.GetProperty("remaining_exceptions").GetInt64() == 0:
                    copied[uuid] = e.GetProperty("at").GetDateTimeOffset();
                    break;
                case "volume.merge-completed.v1" when started.TryGetValue(uuid, out var start) && copied.TryGetValue(uuid, out var end):
                    timelines.Add(new MergeTimeline(start.Name, end - start.At, e.GetProperty("at").GetDateTimeOffset() - end));
                    break;
            }
        }
        return timelines;
    }
}
