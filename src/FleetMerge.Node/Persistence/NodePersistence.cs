using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using FleetMerge.Node.Settings;
using FleetMerge.Node.Startup;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FleetMerge.Node.Persistence;

/// <summary>The journal and snapshot store the node runs with, checked before Akka starts.</summary>
/// <param name="Kind">sqlite or postgres.</param>
/// <param name="ConnectionString">Given to Akka.Persistence.Sql (it holds the password for PostgreSQL: never print it).</param>
/// <param name="ProviderName">linq2db provider name: SQLite.MS or PostgreSQL.15.</param>
/// <param name="Location">Where the data is, safe to print: the SQLite file, or host:port/database.</param>
public sealed record PersistenceTarget(PersistenceKind Kind, string ConnectionString, string ProviderName, string Location)
{
    /// <summary>The fleet journal (<c>--fleet-postgres</c>), a second plugin for the coordinator; null = the coordinator uses this one.</summary>
    public PersistenceTarget? Fleet { get; init; }
}

/// <summary>
/// Akka.Persistence.Sql journal + snapshot store (schema auto-created on first start), SQLite by
/// default, PostgreSQL by configuration. Tuning knobs live in hocon/sqlite.conf and hocon/postgres.conf.
/// </summary>
public static class NodePersistence
{
    /// <summary>Makes the target usable before the ActorSystem starts: the SQLite file in WAL mode, or a reachable PostgreSQL.</summary>
    public static async Task<PersistenceTarget> PrepareAsync(NodeSettings settings, CancellationToken ct) =>
        (await PrepareHostAsync(settings, ct)) with { Fleet = await FleetPersistence.PrepareAsync(settings, ct) };

    private static async Task<PersistenceTarget> PrepareHostAsync(NodeSettings settings, CancellationToken ct)
    {
        switch (settings.Persistence)
        {
            case PersistenceKind.Sqlite:
                string path = settings.JournalDbPath;
                string sqlite = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
                EnableWal(sqlite, path);
                return new PersistenceTarget(PersistenceKind.Sqlite, sqlite, ProviderName.SQLiteMS, path);

            case PersistenceKind.Postgres:
                string pg = settings.PostgresConnectionString
                    ?? throw new NodeStartupException("--persistence postgres needs --postgres or FLEETMERGE_POSTGRES");
                return await PostgresAsync(pg, ct);

            default:
                throw new ArgumentOutOfRangeException(nameof(settings));
        }
    }

    /// <summary>
    /// journal_mode=WAL is stored in the database file, so setting it once is enough; it makes
    /// single-process writes about 3× faster (akka-stack notes §6). Durability stays at
    /// synchronous=FULL, SQLite's default.
    /// </summary>
    public static void EnableWal(string connectionString, string pathForMessages)
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            string? mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new NodeStartupException($"{pathForMessages}: SQLite refused WAL mode (journal_mode is {mode ?? "unknown"})");
        }
        catch (SqliteException e)
        {
            throw new NodeStartupException($"{pathForMessages}: cannot open the SQLite journal: {e.Message}", e);
        }
    }

    /// <summary>A PostgreSQL target after a connection check (one clear line when the server does not answer).</summary>
    public static async Task<PersistenceTarget> PostgresAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        string location = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        await CheckPostgresAsync(connectionString, location, ct);
        return new PersistenceTarget(PersistenceKind.Postgres, connectionString, ProviderName.PostgreSQL15, location);
    }

    private static async Task CheckPostgresAsync(string connectionString, string location, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or ArgumentException)
        {
            string why = e is OperationCanceledException ? "no answer within 15 s" : NodeCommandLine.OneLine(e.Message);
            throw new NodeStartupException($"cannot connect to PostgreSQL at {location}: {why}", e);
        }
    }

    /// <summary>
    /// Akka.Persistence.Sql as the default journal and snapshot store, with Akka.Hosting's plugin
    /// health checks and a connectivity check of our own (Akka.Persistence.Sql.Hosting 1.5.70's
    /// WithConnectivityCheck fails against linq2db 6.5.1: "Could not load type
    /// LinqToDB.Data.DataConnectionExtensions").
    /// </summary>
    public static AkkaConfigurationBuilder WithNodePersistence(this AkkaConfigurationBuilder builder, PersistenceTarget target) =>
        builder
            .WithSqlPersistence(
                connectionString: target.ConnectionString,
                providerName: target.ProviderName,
                autoInitialize: true,
                journalBuilder: j => j.WithHealthCheck(HealthStatus.Unhealthy),
                snapshotBuilder: s => s.WithHealthCheck(HealthStatus.Unhealthy))
            .WithHealthCheck(
                "fleetmerge.persistence.connectivity",
                (_, _, ct) => CheckConnectivityAsync(target, ct),
                HealthStatus.Unhealthy,
                ["akka", "persistence", "connectivity"],
                TimeSpan.FromSeconds(5));

    /// <summary>Opens a connection to the journal's database and runs SELECT 1.</summary>
    public static async Task<HealthCheckResult> CheckConnectivityAsync(PersistenceTarget target, CancellationToken ct)
    {
        try
        {
            await using System.Data.Common.DbConnection connection = target.Kind == PersistenceKind.Postgres
                ? new NpgsqlConnection(target.ConnectionString)
                : new SqliteConnection(target.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy($"{NodeSettings.PersistenceName(target.Kind)} at {target.Location} answers");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{NodeSettings.PersistenceName(target.Kind)} at {target.Location}: {NodeCommandLine.OneLine(e.Message)}", e);
        }
    }
}
