using Akka.Actor;
using Akka.Persistence;
using FleetMerge.Node.Serialization;
using FleetMerge.Protocol;

namespace FleetMerge.Node.Tests.Fixtures;

// A tiny persistent actor, only a test fixture: it proves journal and snapshot round trips
// through the node's serializer. No domain actor lives in src until the host agent does.

public interface ICounterEvent : IPersistedEvent;

public sealed record CounterAdded(int Amount, string Note) : ICounterEvent;

public sealed record CounterState(int Total, int Events) : IPersistedSnapshot;

public sealed record Add(int Amount);

public sealed record GetView
{
    public static readonly GetView Instance = new();
}

public sealed record TakeSnapshot
{
    public static readonly TakeSnapshot Instance = new();
}

public sealed record SnapshotSaved(long SequenceNr);

/// <summary>What the counter knows, including how it recovered.</summary>
public sealed record CounterView(int Total, int Events, long LastSequenceNr, long? RecoveredFromSnapshotAt, int ReplayedEvents);

public static class TestManifests
{
    /// <summary>The node's registry plus the fixtures: the same one-line registration a real event gets.</summary>
    public static ManifestRegistry Registry { get; } = PersistedManifests.Register(new ManifestRegistry.Builder())
        .Add<CounterAdded>("test.counter.added.v1")
        .Add<CounterState>("test.counter.state.v1")
        .Build();
}

public sealed class CounterActor : ReceivePersistentActor
{
    private CounterState state = new(0, 0);
    private long? recoveredFromSnapshotAt;
    private int replayed;
    private IActorRef? snapshotRequester;

    public CounterActor(string persistenceId)
    {
        PersistenceId = persistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            state = (CounterState)offer.Snapshot;
            recoveredFromSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<CounterAdded>(added =>
        {
            Apply(added);
            replayed++;
        });

        Command<Add>(add => Persist(new CounterAdded(add.Amount, $"add {add.Amount}"), added =>
        {
            Apply(added);
            Sender.Tell(View());
        }));
        Command<GetView>(_ => Sender.Tell(View()));
        Command<TakeSnapshot>(_ =>
        {
            snapshotRequester = Sender;
            SaveSnapshot(state);
        });
        Command<SaveSnapshotSuccess>(success => snapshotRequester?.Tell(new SnapshotSaved(success.Metadata.SequenceNr)));
        Command<SaveSnapshotFailure>(failure => snapshotRequester?.Tell(new Status.Failure(failure.Cause)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new CounterActor(persistenceId));

    private void Apply(CounterAdded added) => state = new CounterState(state.Total + added.Amount, state.Events + 1);

    private CounterView View() => new(state.Total, state.Events, LastSequenceNr, recoveredFromSnapshotAt, replayed);
}
