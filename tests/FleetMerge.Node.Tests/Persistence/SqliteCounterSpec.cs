using System.Data.Common;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Tests.Fixtures;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Persistence;

/// <summary>The round trips on a temporary SQLite file in WAL mode, as the node uses it.</summary>
public sealed class SqliteCounterSpec : CounterPersistenceSpec
{
    private readonly TempDir dir;
    private readonly string connectionString;

    public SqliteCounterSpec(ITestOutputHelper output) : this(new TempDir("fleetmerge-sqlite-spec"), output) { }

    private SqliteCounterSpec(TempDir dir, ITestOutputHelper output) : base(Config(dir), output)
    {
        this.dir = dir;
        connectionString = ConnectionString(dir);
    }

    private static string ConnectionString(TempDir dir) => new SqliteConnectionStringBuilder { DataSource = dir.File("journal.db") }.ToString();

    private static Akka.Configuration.Config Config(TempDir dir)
    {
        NodePersistence.EnableWal(ConnectionString(dir), dir.File("journal.db"));
        return AkkaTestConfig.Sql(ConnectionString(dir), ProviderName.SQLiteMS, "sqlite.conf");
    }

    protected override DbConnection OpenDatabase()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    [Fact]
    public void The_journal_file_is_in_wal_mode()
    {
        using var db = OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            dir.Dispose();
        }
    }
}
