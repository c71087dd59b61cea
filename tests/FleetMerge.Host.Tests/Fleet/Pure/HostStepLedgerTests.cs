using FleetMerge.Host.Fleet.Ledger;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class HostStepLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accepted_steps_are_open_until_finished_and_finished_ones_are_remembered()
    {
        var ledger = HostStepLedger.Empty()
            .Apply(new StepAccepted("c1/h/1/1", "snapshot", T0))
            .Apply(new StepAccepted("c1/h/2/1", "hook", T0));
        Assert.Equal(["c1/h/1/1", "c1/h/2/1"], ledger.Open.Keys.Order());

        ledger = ledger.Apply(new StepFinished("c1/h/1/1", true, "taken", T0.AddSeconds(1)));
        Assert.Equal(["c1/h/2/1"], ledger.Open.Keys);
        Assert.Equal(new FinishedStep("c1/h/1/1", "snapshot", true, "taken", T0.AddSeconds(1)), ledger.FinishedOf("c1/h/1/1"));
        Assert.Null(ledger.FinishedOf("c1/h/2/1"));
    }

    [Fact]
    public void Only_the_last_kept_finished_steps_are_remembered()
    {
        var ledger = HostStepLedger.Empty(keep: 3);
        for (int i = 1; i <= 5; i++)
            ledger = ledger.Apply(new StepAccepted($"k{i}", "preflight", T0)).Apply(new StepFinished($"k{i}", true, $"ok {i}", T0));
        Assert.Equal(["k3", "k4", "k5"], ledger.Finished.Select(f => f.Key));
        Assert.Null(ledger.FinishedOf("k2"));
        Assert.Equal(3, ledger.FinishedCount);
    }

    [Fact]
    public void Incarnations_only_grow()
    {
        var ledger = HostStepLedger.Empty().Apply(new IncarnationStarted(3, T0)).Apply(new IncarnationStarted(2, T0));
        Assert.Equal(3, ledger.Incarnation);
    }

    [Fact]
    public void A_snapshot_and_the_events_after_it_recover_the_same_ledger_as_all_the_events()
    {
        var events = new List<IHostStepEvent> { new IncarnationStarted(1, T0) };
        for (int i = 0; i < 40; i++)
        {
            events.Add(new StepAccepted($"k{i}", i % 2 == 0 ? "hook" : "snapshot", T0.AddSeconds(i)));
            if (i % 5 != 4) events.Add(new StepFinished($"k{i}", i % 3 == 0, $"detail {i}", T0.AddSeconds(i)));
        }
        events.Add(new IncarnationStarted(2, T0));
        for (int cut = 0; cut <= events.Count; cut += 7)
        {
            var all = events.Aggregate(HostStepLedger.Empty(keep: 10), (l, e) => l.Apply(e));
            var snapshot = events.Take(cut).Aggregate(HostStepLedger.Empty(keep: 10), (l, e) => l.Apply(e)).ToSnapshot();
            var recovered = events.Skip(cut).Aggregate(HostStepLedger.FromSnapshot(snapshot, keep: 10), (l, e) => l.Apply(e));
            Assert.Equal(all.ToSnapshot().Finished, recovered.ToSnapshot().Finished);
            Assert.Equal(all.ToSnapshot().Open, recovered.ToSnapshot().Open);
            Assert.Equal(all.Incarnation, recovered.Incarnation);
        }
    }
}
