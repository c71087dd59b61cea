using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// A simulated host's step ledger as the node wrote it: the rows of persistence id
/// "host-steps-&lt;host&gt;" in DATA_DIR/journal.db (JSON payloads), read with a connection of our
/// own while the node runs, or after it was killed.
/// </summary>
public sealed record HostLedger(string HostId, IReadOnlyList<HostLedger.Entry> Entries)
{
    public const string Accepted = "host-step.accepted.v1";
    public const string Finished = "host-step.finished.v1";
    public const string Incarnation = "host-step.incarnation-started.v1";

    public sealed record Entry(long Sequence, string Manifest, JsonElement Payload)
    {
        public string? Key => Payload.TryGetProperty("key", out var key) ? key.GetString() : null;
        public override string ToString() => $"{Sequence} {Manifest} {Payload}";
    }

    public static HostLedger Read(string dataDir, string hostId)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "journal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var db = new SqliteConnection(builder.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT sequence_number, manifest, message FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", $"host-steps-{hostId}");
        using var reader = command.ExecuteReader();
        var entries = new List<Entry>();
        while (reader.Read())
        {
            string json = reader.GetValue(2) switch { byte[] bytes => Encoding.UTF8.GetString(bytes), var other => $"{other}" };
            var payload = JsonDocument.Parse(json).RootElement.Clone();
            entries.Add(new Entry(reader.GetInt64(0), reader.GetString(1), payload));
        }
        return new HostLedger(hostId, entries);
    }

    /// <summary>The entries about the keys of one campaign (keys are CAMPAIGN/HOST/INDEX-KIND/N).</summary>
    public IEnumerable<Entry> Of(string campaignId) => Entries.Where(e => e.Key?.StartsWith($"{campaignId}/", StringComparison.Ordinal) == true);

    public bool HasAccepted(string keyPrefix) => Entries.Any(e => e.Manifest == Accepted && e.Key?.StartsWith(keyPrefix, StringComparison.Ordinal) == true);

    public override string ToString() => $"ledger of {HostId}:\n  {string.Join("\n  ", Entries)}";
}
