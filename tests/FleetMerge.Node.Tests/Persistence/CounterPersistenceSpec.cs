using System.Data.Common;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Tests.Fixtures;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Persistence;

/// <summary>
/// The same round trips against each database the node supports: persist, stop, recover;
/// snapshot, then recover in a new ActorSystem from the snapshot plus the later events; and the
/// rows themselves carry our manifests and serializer id, never a CLR type name.
/// </summary>
public abstract class CounterPersistenceSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Config config;

    protected CounterPersistenceSpec(Config config, ITestOutputHelper output)
        : base(AkkaTestConfig.Setup(config), "counter-spec", output)
    {
        this.config = config;
    }

    protected abstract DbConnection OpenDatabase();

    private static string NewPersistenceId(string test) => $"counter-{test}-{Guid.NewGuid():N}";

    [Fact]
    public void Events_persist_and_recover_after_the_actor_stops()
    {
        string id = NewPersistenceId("recover");
        var counter = Sys.ActorOf(CounterActor.Props(id));
        for (int i = 1; i <= 5; i++)
        {
            counter.Tell(new Add(i));
            Assert.Equal(i * (i + 1) / 2, ExpectMsg<CounterView>(Timeout).Total);
        }
        Stop(counter);

        var again = Sys.ActorOf(CounterActor.Props(id));
        again.Tell(GetView.Instance);
        var view = ExpectMsg<CounterView>(Timeout);
        Assert.Equal(new CounterView(Total: 15, Events: 5, LastSequenceNr: 5, RecoveredFromSnapshotAt: null, ReplayedEvents: 5), view);
    }

    [Fact]
    public async Task A_snapshot_bounds_recovery_in_a_new_actor_system()
    {
        string id = NewPersistenceId("snapshot");
        var counter = Sys.ActorOf(CounterActor.Props(id));
        foreach (int amount in new[] { 10, 20, 30 })
        {
            counter.Tell(new Add(amount));
            ExpectMsg<CounterView>(Timeout);
        }
        counter.Tell(TakeSnapshot.Instance);
        Assert.Equal(3, ExpectMsg<SnapshotSaved>(Timeout).SequenceNr);
        foreach (int amount in new[] { 4, 5 })
        {
            counter.Tell(new Add(amount));
            ExpectMsg<CounterView>(Timeout);
        }
        Stop(counter);

        // A separate ActorSystem: nothing in memory, everything from the database.
        var other = ActorSystem.Create("counter-recovery", AkkaTestConfig.Setup(config));
        try
        {
            var probe = CreateTestProbe(other);
            var recovered = other.ActorOf(CounterActor.Props(id));
            recovered.Tell(GetView.Instance, probe.Ref);
            var view = probe.ExpectMsg<CounterView>(Timeout);
            Assert.Equal(new CounterView(Total: 69, Events: 5, LastSequenceNr: 5, RecoveredFromSnapshotAt: 3, ReplayedEvents: 2), view);
        }
        finally
        {
            await other.Terminate();
        }
    }

    [Fact]
    public void Rows_hold_our_manifest_and_serializer_id_not_clr_type_names()
    {
        string id = NewPersistenceId("rows");
        var counter = Sys.ActorOf(CounterActor.Props(id));
        counter.Tell(new Add(7));
        ExpectMsg<CounterView>(Timeout);
        counter.Tell(TakeSnapshot.Instance);
        ExpectMsg<SnapshotSaved>(Timeout);
        Stop(counter);

        using var db = OpenDatabase();
        var (manifest, serializer, payload) = SingleRow(db,
            "SELECT manifest, identifier, message FROM journal WHERE persistence_id = @id", id);
        Assert.Equal("test.counter.added.v1", manifest);
        Assert.Equal(JsonPersistedSerializer.SerializerId, serializer);
        Assert.Equal("""{"amount":7,"note":"add 7"}""", payload);

        var (snapshotManifest, snapshotSerializer, snapshotPayload) = SingleRow(db,
            "SELECT manifest, serializer_id, snapshot FROM snapshot WHERE persistence_id = @id", id);
        Assert.Equal("test.counter.state.v1", snapshotManifest);
        Assert.Equal(JsonPersistedSerializer.SerializerId, snapshotSerializer);
        Assert.Equal("""{"total":7,"events":1}""", snapshotPayload);
        Assert.DoesNotContain("FleetMerge", payload + snapshotPayload, StringComparison.Ordinal);
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor, Timeout);
    }

    private static (string Manifest, int Serializer, string Payload) SingleRow(DbConnection db, string sql, string id)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row for {id}");
        var row = (reader.GetString(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString((byte[])reader.GetValue(2)));
        Assert.False(reader.Read(), $"more than one row for {id}");
        return row;
    }
}
