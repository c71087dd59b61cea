using Akka.Actor;
using Akka.Persistence;
using FleetMerge.Host;
using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// Appends a volume's history to its journal under the volume actor's persistence id, as the
/// volume actor itself would have: it recovers the state the same way (Akka snapshot + events
/// through <see cref="VolumeStateMachine"/>) and saves an Akka snapshot of the state whenever
/// <c>SnapshotEvery</c> events have been written since the last one (null: never). Replies with
/// the last sequence number once every event and Akka snapshot is stored.
/// </summary>
public sealed class HistoryWriter : ReceivePersistentActor
{
    private VolumeState state = VolumeState.Empty;
    private long lastSnapshotAt;
    private int savesInFlight, eventsLeft = -1;
    private IActorRef replyTo = ActorRefs.Nobody;

    public HistoryWriter(string persistenceId, Func<VolumeState, IReadOnlyList<IVolumeEvent>> history, int? snapshotEvery)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(offer =>
        {
            state = (VolumeState)offer.Snapshot;
            lastSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<IVolumeEvent>(e => state = VolumeStateMachine.Apply(state, e));
        Command<Write>(_ =>
        {
            replyTo = Sender;
            var events = history(state);
            eventsLeft = events.Count;
            PersistAll(events, e =>
            {
                state = VolumeStateMachine.Apply(state, e);
                if (snapshotEvery is { } every && LastSequenceNr - lastSnapshotAt >= every)
                {
                    lastSnapshotAt = LastSequenceNr;
                    savesInFlight++;
                    SaveSnapshot(state);
                }
                eventsLeft--;
                ReplyWhenDone();
            });
        });
        Command<SaveSnapshotSuccess>(_ =>
        {
            savesInFlight--;
            ReplyWhenDone();
        });
        Command<SaveSnapshotFailure>(f => throw new InvalidOperationException($"{persistenceId}: Akka snapshot failed: {f.Cause.Message}", f.Cause));
    }

    public override string PersistenceId { get; }

    /// <summary>Done when every event and every Akka snapshot is stored.</summary>
    private void ReplyWhenDone()
    {
        if (eventsLeft == 0 && savesInFlight == 0) replyTo.Tell(LastSequenceNr);
    }

    public sealed record Write
    {
        public static readonly Write Instance = new();
    }

    public static Props Props(string persistenceId, Func<VolumeState, IReadOnlyList<IVolumeEvent>> history, int? snapshotEvery) =>
        Akka.Actor.Props.Create(() => new HistoryWriter(persistenceId, history, snapshotEvery));
}
