using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using FleetMerge.Host.Fleet.Hooks;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Host.Fleet.Simulated;
using FleetMerge.Host.Fleet.Steps;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet;

/// <summary>
/// A host's face to the fleet: reports the host to the coordinator (at every start of its agent,
/// every heartbeat, after every step; HostLeaving when it stops) and runs the campaign's steps on it.
/// <para>
/// Steps are idempotent by key through the host step ledger (persistence id
/// <c>host-steps-&lt;host id&gt;</c>): a finished key is answered from the ledger, a running key
/// answers every asker when it ends, and a key cut short by a restart is run again or answered as
/// <see cref="StepDecisions"/> says. A step is accepted (journaled) before it runs and finished
/// (journaled) before anyone is answered.
/// </para>
/// <para>
/// The agent is either the node's (real host) or owned (simulated host: started here on the host's
/// own directory, restarted by a reboot step; each start is a new incarnation). Steps run as tasks
/// (<see cref="StepRunner"/>) and come back as messages; this class only persists, replies and sends.
/// </para>
/// </summary>
public sealed class FleetHostActor : ReceivePersistentActor, IWithTimers
{
    private readonly FleetHostSettings settings;
    private readonly IActorRef coordinator;
    private readonly HostPlatform platform;
    private readonly HostMachine machine;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, RunningStep> running = new(StringComparer.Ordinal);
    private readonly List<IActorRef> restartAskers = [];

    private HostStepLedger ledger;
    private long lastSnapshotAt;
    private IActorRef? ownedAgent;
    private HostCatalog? tracked; // the catalog the COW gauges read for this host
    private bool restarting;

    private sealed record RunningStep(HostStep Step, Guid Run, List<IActorRef> Askers);

    public FleetHostActor(FleetHostSettings settings, HostPlatform platform, IActorRef coordinator)
    {
        this.settings = settings;
        this.platform = platform;
        this.coordinator = coordinator;
        machine = new HostMachine(settings.HostId, platform.Simulated, platform.Hooks, platform.FreeBytes, platform.Faults);
        ledger = HostStepLedger.Empty(settings.KeepFinished);
        PersistenceId = settings.PersistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            ledger = HostStepLedger.FromSnapshot((HostStepLedgerSnapshot)offer.Snapshot, settings.KeepFinished);
            lastSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<IHostStepEvent>(e => ledger = ledger.Apply(e));
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<HostStep>(OnStep);
        Command<StepRunEnded>(OnRunEnded);
        Command<RestartOwnedAgent>(OnRestartOwnedAgent);
        Command<Terminated>(OnTerminated);
        Command<AgentReady>(OnAgentReady);
        Command<Heartbeat>(_ => Report());
        Command<RequestHostReports>(_ => Report());
        Command<HostRegistered>(r => log.Debug("host={0}: registered with the coordinator (incarnation {1})", r.HostId, r.Incarnation));
        Command<GetFleetHostView>(_ => Sender.Tell(new FleetHostView(settings.HostId, ledger.Incarnation, machine.Current is not null,
            [.. running.Keys.Order(StringComparer.Ordinal)], ledger.FinishedCount, machine.Current?.Agent)));
        Command<SaveSnapshotSuccess>(s => log.Debug("host={0}: step ledger snapshot saved at seq {1}", settings.HostId, s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => log.Warning("host={0}: step ledger snapshot at seq {1} failed: {2} (recovery replays more events)",
            settings.HostId, f.Metadata.SequenceNr, f.Cause.Message));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The fleet face of the node's own host: <paramref name="agent"/> and <paramref name="catalog"/> are the node's; hooks come from DATA_DIR/hooks.json.</summary>
    /// <param name="coordinator">Where reports go: the coordinator's singleton proxy.</param>
    public static Props ForNode(FleetHostSettings settings, IActorRef agent, HostCatalog catalog, IActorRef coordinator)
    {
        var platform = new HostPlatform(new ProcessHooks(settings.DataDirectory), c => FreeSpace.OfFileSystem(c.Root), HostFaults.None,
            new ExternalAgent(agent, catalog), Owned: null);
        return Props.Create(() => new FleetHostActor(settings, platform, coordinator));
    }

    /// <summary>A simulated host: owns its agent on <see cref="SimulatedHostSpec.VgsDirectory"/>, built-in hooks, injected faults.</summary>
    public static Props ForSimulated(SimulatedHostSpec host, VolumeActorSettings volumes, IActorRef coordinator, FleetHostSettings? settings = null)
    {
        var platform = new HostPlatform(new SimulatedHooks(host), c => SimulatedDisk.FreeBytes(host, c), host.Faults,
            External: null, new OwnedAgent(host.VgsDirectory, volumes, (agent, ct) => SimulatedDisk.ProvisionAsync(host, agent, ct)));
        var effective = settings ?? new FleetHostSettings(host.HostId, host.Labels, host.Directory);
        if (effective.HostId != host.HostId)
            throw new ArgumentException($"simulated host {host.HostId}: its settings name host {effective.HostId}", nameof(settings));
        return Props.Create(() => new FleetHostActor(effective, platform, coordinator));
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    // ---------------------------------------------------------------- start

    private void Recovered()
    {
        machine.AttachTo(Self);
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, settings.HeartbeatInterval);
        long incarnation = ledger.Incarnation + 1;
        var events = new List<IHostStepEvent> { new IncarnationStarted(incarnation, Now) };
        foreach (var open in ledger.Open.Values.OrderBy(o => o.At))
        {
            if (StepDecisions.Interrupted(open, incarnation) is { } outcome)
            {
                log.Info("host={0}: step {1} ({2}) was cut short by a restart: {3}", settings.HostId, open.Key, open.Kind, outcome.Detail);
                events.Add(new StepFinished(open.Key, outcome.Ok, outcome.Detail, Now));
            }
        }
        Record(events, () =>
        {
            if (platform.External is { } external)
                Prepare(new AgentHandle(external.Agent, external.Catalog, incarnation));
            else
                StartOwnedAgent(incarnation);
        });
    }

    private void StartOwnedAgent(long incarnation)
    {
        var owned = platform.Owned!;
        var catalog = new HostCatalog(owned.VgsDirectory, settings.HostId);
        var agent = Context.ActorOf(HostAgent.Props(catalog, owned.Volumes), $"agent-{incarnation}");
        Context.Watch(agent);
        ownedAgent = agent;
        log.Info("host={0}: host agent started on {1} (incarnation {2})", settings.HostId, owned.VgsDirectory, incarnation);
        Prepare(new AgentHandle(agent, catalog, incarnation));
    }

    /// <summary>Waits (off the actor) until the agent has loaded its groups and the owned disk is provisioned.</summary>
    private void Prepare(AgentHandle agent)
    {
        var provision = platform.Owned?.Provision;
        var cancel = stopping.Token;
        Ready().PipeTo(Self);

        async Task<AgentReady> Ready()
        {
            await agent.Catalog.Loaded.WaitAsync(cancel);
            if (provision is null) return new AgentReady(agent, null);
            try
            {
                string? note = await provision(agent, cancel);
                if (note is not null) log.Info("host={0}: {1}", settings.HostId, note);
                return new AgentReady(agent, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new AgentReady(agent, e.Message);
            }
        }
    }

    private void OnAgentReady(AgentReady ready)
    {
        if (platform.Owned is not null && !ready.Agent.Agent.Equals(ownedAgent)) return; // an agent stopped meanwhile
        if (ready.Problem is not null)
            log.Error("host={0}: the host agent (incarnation {1}) is up, but preparing the host failed: {2}", settings.HostId, ready.Agent.Incarnation, ready.Problem);
        machine.Ready(ready.Agent);
        if (tracked is not null) HostMetrics.Untrack(tracked);
        tracked = ready.Agent.Catalog;
        HostMetrics.Track(tracked, settings.HostId);
        restarting = false;
        foreach (var asker in restartAskers) asker.Tell(new OwnedAgentRestarted(ready.Agent.Incarnation));
        restartAskers.Clear();
        Report();
    }

    // ---------------------------------------------------------------- reboots of an owned agent

    private void OnRestartOwnedAgent(RestartOwnedAgent restart)
    {
        if (platform.Owned is null)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException($"host {settings.HostId}: the host agent is the node's; it is not restarted from here")));
            return;
        }
        restartAskers.Add(Sender);
        if (restarting) return;
        restarting = true;
        machine.Restarting();
        log.Info("host={0}: stopping the host agent ({1})", settings.HostId, restart.Reason);
        if (ownedAgent is { } agent) Context.Stop(agent);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(ownedAgent)) return;
        ownedAgent = null;
        if (!restarting)
        {
            // An agent that stops by itself is a host crash: the host comes back as after a reboot.
            log.Warning("host={0}: the host agent stopped unexpectedly; starting it again", settings.HostId);
            restarting = true;
            machine.Restarting();
        }
        long incarnation = ledger.Incarnation + 1;
        Record([new IncarnationStarted(incarnation, Now)], () => StartOwnedAgent(incarnation));
    }

    // ---------------------------------------------------------------- steps

    private void OnStep(HostStep step)
    {
        var decision = StepDecisions.Decide(step, settings.HostId, ledger, running.ContainsKey(step.Key));
        switch (decision.Action)
        {
            case StepAction.Refuse:
                Sender.Tell(new HostStepRefused(step.Key, step.HostId, decision.Reason!));
                break;
            case StepAction.Replay:
                var recorded = decision.Recorded!;
                Sender.Tell(new HostStepResult(recorded.Key, settings.HostId, recorded.Ok, recorded.Detail, Replayed: true, recorded.At));
                break;
            case StepAction.Join:
                running[step.Key].Askers.Add(Sender);
                break;
            case StepAction.Finish:
                var asker = Sender;
                var outcome = decision.Outcome!;
                var at = Now;
                Record([new StepFinished(step.Key, outcome.Ok, outcome.Detail, at)],
                    () => asker.Tell(new HostStepResult(step.Key, settings.HostId, outcome.Ok, outcome.Detail, Replayed: true, at)));
                break;
            case StepAction.Rerun:
                log.Info("host={0} campaign={1}: step {2} ({3}) was cut short by a restart; running it again", settings.HostId, step.CampaignId, step.Key, step.Kind);
                Start(step, Sender);
                break;
            case StepAction.Run:
                var first = Sender;
                Record([new StepAccepted(step.Key, step.Kind, Now)], () => Start(step, first));
                break;
        }
    }

    private void Start(HostStep step, IActorRef asker)
    {
        var run = Guid.NewGuid();
        running[step.Key] = new RunningStep(step, run, [asker]);
        log.Info("host={0} campaign={1}: step {2} ({3}{4}) started", settings.HostId, step.CampaignId, step.Key, step.Kind, step.Hook is null ? "" : $" {step.Hook}");
        StepRunner.RunAsync(step, machine, settings.MergePollInterval, stopping.Token)
            .ContinueWith(t => new StepRunEnded(step.Key, run, t.IsCompletedSuccessfully
                    ? t.Result
                    : StepOutcome.Failed($"{step.Kind}: {(t.IsCanceled ? "cancelled" : t.Exception?.GetBaseException().Message)}")),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void OnRunEnded(StepRunEnded ended)
    {
        if (!running.TryGetValue(ended.Key, out var step) || step.Run != ended.Run) return; // a run of an earlier instance
        var at = Now;
        var outcome = ended.Outcome;
        Record([new StepFinished(ended.Key, outcome.Ok, outcome.Detail, at)], () =>
        {
            running.Remove(ended.Key);
            if (outcome.Ok) log.Info("host={0} campaign={1}: step {2} ({3}) ok: {4}", settings.HostId, step.Step.CampaignId, ended.Key, step.Step.Kind, outcome.Detail);
            else log.Warning("host={0} campaign={1}: step {2} ({3}) failed: {4}", settings.HostId, step.Step.CampaignId, ended.Key, step.Step.Kind, outcome.Detail);
            HostMetrics.StepFinished(step.Step.Kind, outcome.Ok);
            var result = new HostStepResult(ended.Key, settings.HostId, outcome.Ok, outcome.Detail, Replayed: false, at);
            foreach (var asker in step.Askers.Where(a => !a.IsNobody() && !a.Equals(Context.System.DeadLetters))) asker.Tell(result);
            Report();
        });
    }

    // ---------------------------------------------------------------- reports

    private void Report()
    {
        if (machine.Current is not { } agent) return; // (re)starting: a report follows the start
        IReadOnlyList<Protocol.Host.LvRow> volumes;
        long free;
        try
        {
            volumes = agent.Catalog.Lvs(null);
            free = machine.FreeBytes(agent.Catalog);
        }
        catch (ObjectDisposedException)
        {
            return; // the agent is stopping
        }
        string node = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString();
        coordinator.Tell(new HostReport(settings.HostId, node, settings.Labels, volumes, free, agent.Incarnation, machine.Simulated, Now), Self);
    }

    protected override void PreStart()
    {
        base.PreStart();
        // A new coordinator (after a failover) asks every host to report at once, through HostReportRelay.
        Context.System.EventStream.Subscribe(Self, typeof(RequestHostReports));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        if (tracked is not null) HostMetrics.Untrack(tracked);
        stopping.Cancel(); // running steps stop (hook processes are killed); their keys stay open in the ledger
        coordinator.Tell(new HostLeaving(settings.HostId, ledger.Incarnation), Self);
        base.PostStop();
    }

    // ---------------------------------------------------------------- journal

    private void Record(IReadOnlyList<IHostStepEvent> events, Action after)
    {
        if (events.Count == 0)
        {
            after();
            return;
        }
        int left = events.Count;
        PersistAll(events, e =>
        {
            ledger = ledger.Apply(e);
            if (--left > 0) return;
            if (LastSequenceNr - lastSnapshotAt >= settings.LedgerSnapshotEvery)
            {
                lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(ledger.ToSnapshot());
            }
            after();
        });
    }
}
