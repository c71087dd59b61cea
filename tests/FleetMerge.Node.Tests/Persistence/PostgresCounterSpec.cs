using System.Data.Common;
using FleetMerge.Node.Tests.Fixtures;
using LinqToDB;
using Akka.Actor;
using Npgsql;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Persistence;

/// <summary>
/// The round trips on PostgreSQL (FLEETMERGE_TEST_POSTGRES), in a private schema per test
/// class instance that Akka.Persistence.Sql fills with its tables and the test drops afterwards.
/// Without the variable every test here fails with a message saying how to provide it.
/// </summary>
public sealed class PostgresCounterSpec : CounterPersistenceSpec
{
    private readonly PostgresSchema schema;

    public PostgresCounterSpec(ITestOutputHelper output) : this(new PostgresSchema(), output) { }

    private PostgresCounterSpec(PostgresSchema schema, ITestOutputHelper output)
        : base(AkkaTestConfig.Sql(schema.ConnectionString, ProviderName.PostgreSQL15, "postgres.conf"), output)
    {
        this.schema = schema;
    }

    protected override DbConnection OpenDatabase()
    {
        var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        return connection;
    }

    [Fact]
    public void The_schema_is_created_on_first_use()
    {
        var counter = Sys.ActorOf(CounterActor.Props($"counter-schema-{Guid.NewGuid():N}"));
        counter.Tell(new Add(1));
        ExpectMsg<CounterView>(TimeSpan.FromSeconds(20));
        counter.Tell(TakeSnapshot.Instance);
        ExpectMsg<SnapshotSaved>(TimeSpan.FromSeconds(20));
        var tables = schema.Tables();
        Assert.Contains("journal", tables);
        Assert.Contains("snapshot", tables);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) schema.Dispose();
    }
}
