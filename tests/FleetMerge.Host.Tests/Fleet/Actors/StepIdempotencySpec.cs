using Akka.Actor;
using Akka.Persistence;
using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>A step key runs once: replays from the ledger, askers joined to a running step, and restarts of the fleet host actor mid-step.</summary>
public sealed class StepIdempotencySpec(ITestOutputHelper output) : FleetSpec(output)
{
    private static IReadOnlyList<string> Kinds(IEnumerable<IHostStepEvent> events, string key) =>
        [.. events.Select(e => e switch { StepAccepted a when a.Key == key => "accepted", StepFinished f when f.Key == key => "finished", _ => null }).OfType<string>()];

    [Fact]
    public async Task The_same_key_twice_runs_once_and_is_replayed()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        var step = Step("c1/sim-0001/snapshot/1", host.HostId, StepKinds.Snapshot);
        var first = await RunAsync(actor, step);
        var again = await RunAsync(actor, step);
        Assert.True(first.Ok, first.Detail);
        Assert.Equal(first with { Replayed = true }, again);
        Assert.Equal(["accepted", "finished"], Kinds(Ledger(host.HostId), step.Key));
    }

    [Fact]
    public async Task Askers_of_a_running_key_all_get_the_one_result()
    {
        var host = SimulatedHost(Fleet(1, DataDirectory) with { Faults = "slow=sim-0001:1s" });
        var actor = StartSimulated(host);
        var step = Step("c1/sim-0001/snapshot/1", host.HostId, StepKinds.Snapshot);
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        actor.Tell(step, a.Ref);
        actor.Tell(step, b.Ref);
        var ra = a.ExpectMsg<HostStepResult>(Timeout);
        var rb = b.ExpectMsg<HostStepResult>(Timeout);
        Assert.Equal(ra, rb);
        Assert.Equal((true, false, "snapshot: vg0/root-c1 taken (4 MiB of COW)"), (ra.Ok, ra.Replayed, ra.Detail));
        Assert.Equal(["accepted", "finished"], Kinds(Ledger(host.HostId), step.Key));
    }

    [Fact]
    public async Task An_idempotent_step_cut_short_by_a_restart_runs_again_when_resent()
    {
        var host = SimulatedHost(Fleet(1, DataDirectory) with { Faults = "slow=sim-0001:3s" });
        var actor = StartSimulated(host);
        var step = Step("c1/sim-0001/snapshot/1", host.HostId, StepKinds.Snapshot);
        actor.Tell(step, CreateTestProbe().Ref); // that asker's answer goes down with the host
        await AwaitAssertAsync(async () => Assert.Contains(step.Key, (await ViewAsync(actor)).Running), Timeout);
        Stop(actor); // the host goes down mid-step

        var restarted = StartSimulated(host);
        Assert.Equal(2, NextReport(r => r.Incarnation == 2).Incarnation);
        var result = await RunAsync(restarted, step);
        Assert.Equal((true, false, "snapshot: vg0/root-c1 taken (4 MiB of COW)"), (result.Ok, result.Replayed, result.Detail));
        Assert.Equal(["accepted", "finished"], Kinds(Ledger(host.HostId), step.Key));
    }

    [Fact]
    public async Task A_snapshot_already_taken_counts_as_done_under_a_new_key()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        await OkAsync(actor, Step("attempt-1", host.HostId, StepKinds.Snapshot));
        Assert.Equal("snapshot: vg0/root-c1 already taken", await OkAsync(actor, Step("attempt-2", host.HostId, StepKinds.Snapshot)));
        await OkAsync(actor, Step("mark-1", host.HostId, StepKinds.MarkMerge));
        Assert.Equal("mark-merge: vg0/root-c1 already marked", await OkAsync(actor, Step("mark-2", host.HostId, StepKinds.MarkMerge)));
        await OkAsync(actor, Step("reboot", host.HostId, StepKinds.Reboot));
        await OkAsync(actor, Step("await", host.HostId, StepKinds.AwaitMerge));
        Assert.Equal("mark-merge: vg0/root-c1 already merged", await OkAsync(actor, Step("mark-3", host.HostId, StepKinds.MarkMerge)));
    }

    [Fact]
    public async Task A_step_for_another_host_is_refused()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        var refused = await actor.Ask<HostStepRefused>(Step("k", "sim-0042", StepKinds.Preflight), Timeout);
        Assert.Equal(new HostStepRefused("k", "sim-0042", "this is the agent of host sim-0001, not of sim-0042"), refused);
    }

    [Fact]
    public async Task The_ledger_recovers_from_its_Akka_snapshot()
    {
        var host = SimulatedHost();
        var settings = new FleetHostSettings(host.HostId, host.Labels, host.Directory) { LedgerSnapshotEvery = 4 };
        var actor = StartSimulated(host, settings: settings);
        var results = new List<HostStepResult>();
        for (int i = 0; i < 6; i++) results.Add(await RunAsync(actor, Step($"k{i}", host.HostId, StepKinds.Preflight)));
        Stop(actor);

        var probe = CreateTestProbe();
        Persistence.Instance.Apply(Sys).SnapshotStoreFor(null).Tell(
            new LoadSnapshot(settings.PersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
        var saved = probe.ExpectMsg<LoadSnapshotResult>(Timeout).Snapshot;
        Assert.NotNull(saved);
        Assert.IsType<HostStepLedgerSnapshot>(saved.Snapshot);

        var restarted = StartSimulated(host, settings: settings);
        for (int i = 0; i < 6; i++) Assert.Equal(results[i] with { Replayed = true }, await RunAsync(restarted, Step($"k{i}", host.HostId, StepKinds.Preflight)));
    }
}
