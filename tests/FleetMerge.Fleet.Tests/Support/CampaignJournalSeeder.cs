using Akka.Actor;
using Akka.Persistence;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>Writes given events under a persistence id, as an earlier coordinator would have; replies the last sequence number.</summary>
public sealed class CampaignJournalSeeder : ReceivePersistentActor
{
    public CampaignJournalSeeder(string persistenceId, IReadOnlyList<object> events)
    {
        PersistenceId = persistenceId;
        Recover<object>(_ => { });
        Command<string>(_ =>
        {
            var replyTo = Sender;
            int left = events.Count;
            PersistAll(events, _ =>
            {
                if (--left == 0) replyTo.Tell(LastSequenceNr);
            });
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IReadOnlyList<object> events) =>
        Akka.Actor.Props.Create(() => new CampaignJournalSeeder(persistenceId, events));
}
