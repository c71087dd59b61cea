using Npgsql;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// A fresh PostgreSQL database for one run's fleet journal (campaign ids start at c1, no earlier
/// campaign is resumed), on the server of ops/postgres.sh (ops/bench.sh starts it and sets
/// FLEETMERGE_BENCH_POSTGRES to its connection string). Dropped when disposed.
/// </summary>
public sealed class FleetDatabase : IAsyncDisposable
{
    private const string Variable = "FLEETMERGE_BENCH_POSTGRES";
    private readonly string server;

    private FleetDatabase(string server, string name, string connectionString)
    {
        this.server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>For the nodes' --fleet-postgres.</summary>
    public string ConnectionString { get; }

    public static async Task<FleetDatabase> CreateAsync(string name)
    {
        string server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given
            ? given
            : throw new InvalidOperationException($"the fleet figures need PostgreSQL: run them through ops/bench.sh (it starts ops/postgres.sh) or set {Variable}");
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        var builder = new NpgsqlConnectionStringBuilder(server);
        await ExecuteAsync(server, $"CREATE DATABASE {name} OWNER \"{builder.Username}\"");
        builder.Database = name;
        return new FleetDatabase(server, name, builder.ConnectionString);
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
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
