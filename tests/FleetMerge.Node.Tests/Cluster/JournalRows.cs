using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>One event as Akka.Persistence.Sql stored it: the node's serializer writes JSON with a string manifest.</summary>
public sealed record JournalRow(string PersistenceId, long SequenceNr, string Manifest, JsonElement Event)
{
    public string Text(string property) => Event.GetProperty(property).GetString()!;
}

/// <summary>
/// Reads events straight from a journal's table (no Akka): the evidence of what the coordinator
/// and the hosts really recorded. The fleet journal is the test schema in PostgreSQL; a node's host
/// journal is DATA_DIR/journal.db (SQLite, read-only here while the node runs).
/// </summary>
public static class JournalRows
{
    public static List<JournalRow> Postgres(string connectionString, string persistenceIdLike)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return Read(connection, persistenceIdLike);
    }

    public static List<JournalRow> Sqlite(string file, string persistenceIdLike)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return Read(connection, persistenceIdLike);
    }

    private static List<JournalRow> Read(DbConnection connection, string persistenceIdLike)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, manifest, message FROM journal WHERE persistence_id LIKE @pid ORDER BY persistence_id, sequence_number";
        var pid = command.CreateParameter();
        pid.ParameterName = "pid";
        pid.Value = persistenceIdLike;
        command.Parameters.Add(pid);
        var rows = new List<JournalRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            using var json = JsonDocument.Parse((byte[])reader.GetValue(3));
            rows.Add(new JournalRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), json.RootElement.Clone()));
        }
        return rows;
    }
}
