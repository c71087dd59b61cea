using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Fleet.Policies;
using FleetMerge.Fleet.Tests.Hosts;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Policies;

public sealed class PolicySchedulerSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Config = """
        akka.loglevel = DEBUG
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.persistence.journal.coordinator-inmem {
          class = "Akka.Persistence.Journal.MemoryJournal, Akka.Persistence"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 10, 0, TimeSpan.Zero);

    private static readonly PolicySchedulerSettings Fast = PolicySchedulerSettings.Default with
    {
        TickInterval = TimeSpan.FromMilliseconds(50),
        AskTimeout = TimeSpan.FromSeconds(5),
    };

    private static readonly PolicySpec Hourly = new("hourly", "0 * * * *", "UTC", "env=prod", ["vg0/root"], "10%", 65536, Keep: 1, MaxAge: null);

    private readonly FakeClock clock = new(T0);
    private readonly TestProbe starts;
    private readonly IActorRef coordinator;

    public PolicySchedulerSpec(ITestOutputHelper output) : base(Config, output)
    {
        starts = CreateTestProbe();
        coordinator = Sys.ActorOf(FakeCoordinator.Props(starts.Ref), "coordinator");
    }

    private IActorRef Scheduler(IActorRef? registry = null, PolicySchedulerSettings? settings = null) =>
        Sys.ActorOf(PolicySchedulerActor.Props(settings ?? Fast, coordinator, registry, clock.Func));

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor, Timeout);
    }

    private static async Task<PolicyView> PolicyAsync(IActorRef scheduler, string name) => await scheduler.Ask<PolicyView>(new GetPolicy(name), Timeout);

    // ---------------------------------------------------------------- commands

    [Fact]
    public async Task Adds_lists_gets_and_removes_policies()
    {
        var scheduler = Scheduler();
        var added = await scheduler.Ask<PolicyView>(new AddPolicy(Hourly with { TimeZone = "" }), Timeout);
        Assert.Equal("UTC", added.Spec.TimeZone);
        Assert.Equal(T0, added.CreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), added.NextRun);
        Assert.Null(added.LastRun);
        Assert.Empty(added.Runs);

        await scheduler.Ask<PolicyView>(new AddPolicy(PolicySpecs.Daily), Timeout);
        var list = await scheduler.Ask<PolicyList>(ListPolicies.Instance, Timeout);
        Assert.Equal(["hourly", "nightly"], list.Policies.Select(p => p.Spec.Name));
        Assert.Equal("Europe/Berlin", (await PolicyAsync(scheduler, "nightly")).Spec.TimeZone);

        var removed = await scheduler.Ask<PolicyView>(new RemovePolicy("nightly"), Timeout);
        Assert.Equal("nightly", removed.Spec.Name);
        Assert.Equal(["hourly"], (await scheduler.Ask<PolicyList>(ListPolicies.Instance, Timeout)).Policies.Select(p => p.Spec.Name));
    }

    [Fact]
    public async Task Refuses_bad_duplicate_and_unknown_policies()
    {
        var scheduler = Scheduler();
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);

        var bad = await Assert.ThrowsAsync<FleetRequestException>(() => scheduler.Ask<PolicyView>(new AddPolicy(Hourly with { Name = "x", Cron = "every hour" }), Timeout));
        Assert.Equal(FleetRequestException.BadRequest, bad.Kind);
        Assert.StartsWith("bad cron 'every hour'", bad.Message);
        var duplicate = await Assert.ThrowsAsync<FleetRequestException>(() => scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout));
        Assert.Equal((FleetRequestException.Conflict, "policy 'hourly' already exists"), (duplicate.Kind, duplicate.Message));
        foreach (object unknown in new object[] { new GetPolicy("nope"), new RemovePolicy("nope"), new RunPolicyNow("nope") })
        {
            var e = await Assert.ThrowsAsync<FleetRequestException>(() => scheduler.Ask<object>(unknown, Timeout));
            Assert.Equal((FleetRequestException.NotFound, "policy 'nope' not found"), (e.Kind, e.Message));
        }
    }

    [Fact]
    public async Task Policies_go_to_the_journal_named_in_the_settings()
    {
        var scheduler = Scheduler(settings: Fast with { JournalPluginId = "akka.persistence.journal.coordinator-inmem" });
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);
        Assert.Single(Replay("akka.persistence.journal.coordinator-inmem"));
        Assert.Empty(Replay(null));
    }

    private List<object> Replay(string? journalId)
    {
        var journal = Persistence.Instance.Apply(Sys).JournalFor(journalId);
        var probe = CreateTestProbe();
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, PolicySchedulerActor.Id, probe.Ref));
        var events = new List<object>();
        while (probe.ExpectMsg<object>(Timeout) is var m && m is not RecoverySuccess)
            events.Add(((ReplayedMessage)m).Persistent.Payload);
        return events;
    }

    [Fact]
    public async Task Policies_and_runs_come_back_from_an_Akka_snapshot_and_the_events_after_it()
    {
        var settings = Fast with { SnapshotEvery = 2 };
        var first = Scheduler(settings: settings);
        await first.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);                 // seq 1
        await first.Ask<CampaignAccepted>(new RunPolicyNow("hourly"), Timeout);      // seq 2: snapshot
        await first.Ask<PolicyView>(new AddPolicy(PolicySpecs.Daily), Timeout);      // seq 3: replayed
        Stop(first);

        var store = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var loaded = await store.Ask<LoadSnapshotResult>(new LoadSnapshot(PolicySchedulerActor.Id, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
        Assert.Equal(2, loaded.Snapshot.Metadata.SequenceNr);

        var second = Scheduler(settings: settings);
        var list = await second.Ask<PolicyList>(ListPolicies.Instance, Timeout);
        Assert.Equal(["hourly", "nightly"], list.Policies.Select(p => p.Spec.Name));
        Assert.Equal("c1", Assert.Single(list.Policies[0].Runs).CampaignId);
    }

    // ---------------------------------------------------------------- runs

    [Fact]
    public async Task A_due_run_starts_one_snapshot_campaign_for_the_policy()
    {
        var scheduler = Scheduler();
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // 00:10: nothing due before 01:00

        clock.Set(new DateTimeOffset(2026, 3, 2, 1, 0, 5, TimeSpan.Zero));
        var start = starts.ExpectMsg<StartCampaign>(Timeout);
        Assert.Equal(("policy hourly", "policy hourly due 2026-03-02T01:00:00Z"), (start.RequestedBy, start.RequestKey));
        var spec = start.Spec;
        Assert.Equal((CampaignKinds.Snapshot, "env=prod", "10%", 65536, "hourly"), (spec.Kind, spec.Hosts, spec.Size, spec.ChunkBytes, spec.Policy));
        Assert.Equal(["vg0/root"], spec.Volumes);
        Assert.Equal((null, false, false, 0, "100%", 0, "100%", false, null), (spec.Of, spec.Upgrade, spec.Health, spec.Canary, spec.WaveSize, spec.MaxInFlight, spec.FailureBudget, spec.AutoRollback, spec.Window));
        Assert.Equal(TimeSpan.FromMinutes(5), spec.StepTimeout);

        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // many ticks, one run
        var view = await PolicyAsync(scheduler, "hourly");
        var run = Assert.Single(view.Runs);
        Assert.Equal(("c1", new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), false, CampaignStates.Running), (run.CampaignId, run.Due, run.Missed, run.CampaignState));
        Assert.Equal(clock.Now, view.LastRun);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), view.NextRun);
    }

    [Fact]
    public async Task After_a_restart_the_missed_occurrences_run_once()
    {
        var first = Scheduler();
        await first.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);
        clock.Set(new DateTimeOffset(2026, 3, 2, 1, 0, 2, TimeSpan.Zero));
        starts.ExpectMsg<StartCampaign>(Timeout);
        await AwaitAssertAsync(async () => Assert.Single((await PolicyAsync(first, "hourly")).Runs), Timeout);
        Stop(first);

        // No coordinator from 01:00 to 04:20: 02:00, 03:00 and 04:00 passed unrun.
        clock.Set(new DateTimeOffset(2026, 3, 2, 4, 20, 0, TimeSpan.Zero));
        var second = Scheduler();
        starts.ExpectMsg<StartCampaign>(Timeout);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(400));

        var view = await PolicyAsync(second, "hourly");
        Assert.Equal(2, view.Runs.Count);
        Assert.Equal(("c2", new DateTimeOffset(2026, 3, 2, 4, 0, 0, TimeSpan.Zero), true), (view.Runs[0].CampaignId, view.Runs[0].Due, view.Runs[0].Missed));
        Assert.Equal(("c1", false), (view.Runs[1].CampaignId, view.Runs[1].Missed));
    }

    [Fact]
    public async Task Run_now_starts_a_campaign_out_of_schedule()
    {
        var scheduler = Scheduler();
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);
        var accepted = await scheduler.Ask<CampaignAccepted>(new RunPolicyNow("hourly"), Timeout);
        Assert.Equal("c1", accepted.Id);
        var start = starts.ExpectMsg<StartCampaign>(Timeout);
        Assert.Equal(("policy hourly", null), (start.RequestedBy, start.RequestKey));
        var run = Assert.Single((await PolicyAsync(scheduler, "hourly")).Runs);
        Assert.Equal((T0, false), (run.Due, run.Missed));
    }

    [Fact]
    public async Task A_refused_run_is_skipped_until_the_next_occurrence_and_run_now_reports_the_refusal()
    {
        var scheduler = Scheduler();
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout);
        var noHosts = new FleetRequestException(FleetRequestException.BadRequest, "selector matches no host");

        coordinator.Tell(new RefuseNextStart(noHosts));
        var e = await Assert.ThrowsAsync<FleetRequestException>(() => scheduler.Ask<CampaignAccepted>(new RunPolicyNow("hourly"), Timeout));
        Assert.Equal("selector matches no host", e.Message);
        starts.ExpectMsg<StartCampaign>(Timeout);

        coordinator.Tell(new RefuseNextStart(noHosts));
        clock.Set(new DateTimeOffset(2026, 3, 2, 1, 0, 5, TimeSpan.Zero));
        starts.ExpectMsg<StartCampaign>(Timeout);
        starts.ExpectNoMsg(TimeSpan.FromMilliseconds(400)); // not retried every tick
        Assert.Empty((await PolicyAsync(scheduler, "hourly")).Runs);

        clock.Set(new DateTimeOffset(2026, 3, 2, 2, 0, 5, TimeSpan.Zero));
        starts.ExpectMsg<StartCampaign>(Timeout);
        await AwaitAssertAsync(async () => Assert.Equal("c1", Assert.Single((await PolicyAsync(scheduler, "hourly")).Runs).CampaignId), Timeout);
    }

    // ---------------------------------------------------------------- pruning

    private static HostView HostWith(string id, string reachability, params LvRow[] rows) =>
        new(id, "akka.tcp://fleet@10.0.0.1:4053", new Dictionary<string, string> { ["env"] = "prod" }, reachability, HostStates.Of(rows), 1, false, 1L << 30, rows, T0);

    private static LvRow Snap(string tag, char type = 's') => HostStatesTests.Row($"root-{tag}", $"{type}wi-a-s---", "root");

    [Fact]
    public async Task After_a_runs_campaign_ends_pruning_sends_the_right_steps()
    {
        var steps = CreateTestProbe();
        var hosts = new[]
        {
            HostWith("web-1", Reachability.Reachable, HostStatesTests.Row("root", "Owi-aos---"), Snap("c1"), Snap("c2", 'S'), Snap("c3"), Snap("c4"), Snap("manual")),
            HostWith("web-2", Reachability.Reachable, HostStatesTests.Row("root", "owi-aos---"), Snap("c3"), Snap("c4")),
            HostWith("web-3", Reachability.Unreachable, HostStatesTests.Row("root", "owi-aos---"), Snap("c1"), Snap("c4")),
        };
        var registry = Sys.ActorOf(FakeRegistry.Props(hosts, steps.Ref));
        var scheduler = Scheduler(registry);
        await scheduler.Ask<PolicyView>(new AddPolicy(Hourly), Timeout); // keep 1
        for (int i = 1; i <= 4; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal($"c{i}", (await scheduler.Ask<CampaignAccepted>(new RunPolicyNow("hourly"), Timeout)).Id);
        }
        steps.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // every campaign still running: nothing is pruned

        // c1 and c2 end, c3 is paused (open: it holds root-c3), c4 runs (open too).
        coordinator.Tell(new SetCampaignState("c1", CampaignStates.Completed));
        coordinator.Tell(new SetCampaignState("c2", CampaignStates.Completed));
        coordinator.Tell(new SetCampaignState("c3", CampaignStates.Paused));
        var afterFirst = new[] { steps.ExpectMsg<DeliverStep>(Timeout), steps.ExpectMsg<DeliverStep>(Timeout) }.Select(d => d.Step).ToList();
        steps.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(["prune/hourly/c1/web-1", "prune/hourly/c2/web-1"], afterFirst.Select(s => s.Key).Order(StringComparer.Ordinal));

        // c4 ends: keep 1 keeps root-c4; root-c2 is merging, root-c3 held by c3, web-3 unreachable, root-manual not the policy's.
        coordinator.Tell(new SetCampaignState("c4", CampaignStates.Failed));
        var last = steps.ExpectMsg<DeliverStep>(Timeout).Step;
        steps.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal("prune/hourly/c4/web-1", last.Key);
        foreach (var step in afterFirst.Append(last))
        {
            Assert.Equal((StepKinds.RemoveSnapshot, "web-1", null, 0), (step.Kind, step.HostId, step.SnapshotTag, step.ChunkBytes));
            Assert.Equal(["vg0/root-c1"], step.Snapshots);   // the hosts here do not change: each prune asks the same, with its own key
            Assert.Equal(["vg0/root"], step.Volumes);
        }

        await AwaitAssertAsync(async () =>
        {
            var runs = (await PolicyAsync(scheduler, "hourly")).Runs;
            Assert.Equal([("c4", CampaignStates.Failed, 1), ("c3", CampaignStates.Paused, 0), ("c2", CampaignStates.Completed, 1), ("c1", CampaignStates.Completed, 1)],
                runs.Select(r => (r.CampaignId, r.CampaignState, r.Pruned)));
        }, Timeout);
    }
}
