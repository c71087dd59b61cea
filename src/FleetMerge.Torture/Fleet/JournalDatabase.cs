using Npgsql;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// A fresh PostgreSQL database for one scenario's fleet journal (campaign ids start at c1, nothing
/// earlier is resumed), on a server given by its connection string; dropped when disposed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class JournalDatabase : IAsyncDisposable
{
    private readonly string server;

    private JournalDatabase(string server, string connectionString)
    {
        this.server = server;
        ConnectionString = connectionString;
    }

    /// <summary>For the nodes' --fleet-postgres, and for reading the campaign journal.</summary>
    public string ConnectionString { get; }

    public static async Task<JournalDatabase> CreateAsync(string server, string name)
    {
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        var builder = new NpgsqlConnectionStringBuilder(server);
        await ExecuteAsync(server, $"CREATE DATABASE {name} OWNER \"{builder.Username}\"");
        builder.Database = name;
        // No pooled connection may outlive a server restart unnoticed by the torture's own reads.
        builder.Pooling = false;
        return new JournalDatabase(server, builder.ConnectionString);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE)");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The server is gone (a private one already stopped): nothing to drop.
        }
    }
}
