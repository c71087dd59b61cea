using Npgsql;

namespace FleetMerge.Node.Tests.Fixtures;

/// <summary>
/// A private schema in the test PostgreSQL (FLEETMERGE_TEST_POSTGRES, set by ops/test.sh from
/// ops/postgres.sh), dropped on dispose, so runs never see each other's rows. Without the
/// variable the tests FAIL: PostgreSQL support is part of what they prove.
/// </summary>
public sealed class PostgresSchema : IDisposable
{
    public const string Variable = "FLEETMERGE_TEST_POSTGRES";

    public PostgresSchema()
    {
        AdminConnectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL tests need a server. Run ops/test.sh (it starts one), " +
                $"or: ops/postgres.sh start && export {Variable}=\"$(ops/postgres.sh url)\"");
        Name = $"fm_test_{Guid.NewGuid():N}"[..24];
        Execute($"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = Name, Pooling = false }.ToString();
    }

    public string AdminConnectionString { get; }

    /// <summary>The schema's name: fm_test_ and 16 hex digits.</summary>
    public string Name { get; }

    /// <summary>Connects with search_path = the schema, so Akka.Persistence.Sql creates its tables there.</summary>
    public string ConnectionString { get; }

    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public List<string> Tables()
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @s ORDER BY 1", connection);
        command.Parameters.AddWithValue("s", Name);
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    public void Dispose()
    {
        try { Execute($"DROP SCHEMA IF EXISTS {Name} CASCADE"); }
        catch (NpgsqlException) { }
    }
}
