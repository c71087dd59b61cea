using Akka.Actor;
using Akka.Persistence.TestKit;
using FleetMerge.Node.Tests.Fixtures;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Persistence;

/// <summary>
/// Journal faults injected with Akka.Persistence.TestKit's TestJournal (wired by hand: the
/// PersistenceTestKit base class is not on the mirror, akka-stack notes pitfall 11).
/// </summary>
public sealed class JournalFaultSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Setup(AkkaTestConfig.TestJournal()), "journal-fault", output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private ITestJournal Journal => TestJournal.FromRef(global::Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public async Task A_failed_write_stops_the_actor_with_an_error_and_stores_nothing()
    {
        string id = $"fault-write-{Guid.NewGuid():N}";
        var counter = Sys.ActorOf(CounterActor.Props(id));
        counter.Tell(new Add(2));
        Assert.Equal(2, ExpectMsg<CounterView>(Timeout).Total);
        Watch(counter);

        await Journal.OnWrite.Fail();
        await EventFilter.Error(contains: "Failed to persist event").ExpectOneAsync(() =>
        {
            counter.Tell(new Add(5));
            return Task.CompletedTask;
        });
        ExpectTerminated(counter, Timeout);

        await Journal.OnWrite.Pass();
        var recovered = Sys.ActorOf(CounterActor.Props(id));
        recovered.Tell(GetView.Instance);
        var view = ExpectMsg<CounterView>(Timeout);
        Assert.Equal((2, 1, 1L), (view.Total, view.Events, view.LastSequenceNr));
    }

    [Fact]
    public async Task A_rejected_write_keeps_the_actor_and_its_state()
    {
        string id = $"fault-reject-{Guid.NewGuid():N}";
        var counter = Sys.ActorOf(CounterActor.Props(id));
        counter.Tell(new Add(1));
        ExpectMsg<CounterView>(Timeout);

        await Journal.OnWrite.Reject();
        await EventFilter.Error(contains: "Rejected to persist event").ExpectOneAsync(() =>
        {
            counter.Tell(new Add(100));
            return Task.CompletedTask;
        });
        await Journal.OnWrite.Pass();

        counter.Tell(GetView.Instance);
        Assert.Equal(1, ExpectMsg<CounterView>(Timeout).Total);
        counter.Tell(new Add(2));
        Assert.Equal(3, ExpectMsg<CounterView>(Timeout).Total);
    }

    [Fact]
    public async Task A_failed_recovery_stops_the_actor()
    {
        string id = $"fault-recovery-{Guid.NewGuid():N}";
        var counter = Sys.ActorOf(CounterActor.Props(id));
        counter.Tell(new Add(3));
        ExpectMsg<CounterView>(Timeout);
        Watch(counter);
        counter.Tell(PoisonPill.Instance);
        ExpectTerminated(counter, Timeout);

        await Journal.OnRecovery.Fail();
        var failing = Sys.ActorOf(CounterActor.Props(id));
        Watch(failing);
        ExpectTerminated(failing, Timeout);

        await Journal.OnRecovery.Pass();
        var recovered = Sys.ActorOf(CounterActor.Props(id));
        recovered.Tell(GetView.Instance);
        Assert.Equal(3, ExpectMsg<CounterView>(Timeout).Total);
    }
}
