using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// Reads what the stores really hold, straight from their tables (no Akka): the hosts' step ledgers
/// in each node's DATA_DIR/journal.db (read-only, also while the node runs) and the campaigns'
/// events in the fleet journal in PostgreSQL. Payloads are the node's JSON (snake_case).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class EvidenceReader
{
    public static List<LedgerEntry> Ledgers(string dataDir)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "journal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var entries = new List<LedgerEntry>();
        foreach (var (pid, sequence, manifest, json) in Rows(connection, "host-steps-%"))
        {
            if (manifest is not (LedgerEntry.Accepted or LedgerEntry.Finished)) continue;
            bool? ok = json.TryGetProperty("ok", out var o) ? o.GetBoolean() : null;
            entries.Add(new LedgerEntry(pid["host-steps-".Length..], sequence, manifest, json.GetProperty("key").GetString()!, ok));
        }
        return entries;
    }

    public static List<JournalStep> CampaignSteps(string connectionString, string campaignId)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        var steps = new List<JournalStep>();
        foreach (var (_, sequence, manifest, json) in Rows(connection, $"campaign-{campaignId}"))
        {
            if (manifest is not (JournalStep.Started or JournalStep.Succeeded or JournalStep.Failed)) continue;
            steps.Add(new JournalStep(campaignId, sequence, manifest, json.GetProperty("key").GetString()!,
                json.GetProperty("host_id").GetString()!, json.GetProperty("step_index").GetInt32()));
        }
        return steps;
    }

    private static List<(string Pid, long Sequence, string Manifest, JsonElement Json)> Rows(DbConnection connection, string persistenceIdLike)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, manifest, message FROM journal WHERE persistence_id LIKE @pid ORDER BY persistence_id, sequence_number";
        var pid = command.CreateParameter();
        pid.ParameterName = "pid";
        pid.Value = persistenceIdLike;
        command.Parameters.Add(pid);
        var rows = new List<(string, long, string, JsonElement)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byte[] bytes = reader.GetValue(3) switch { byte[] b => b, var other => System.Text.Encoding.UTF8.GetBytes($"{other}") };
            using var json = JsonDocument.Parse(bytes);
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), json.RootElement.Clone()));
        }
        return rows;
    }
}
