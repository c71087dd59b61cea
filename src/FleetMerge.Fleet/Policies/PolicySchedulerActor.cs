using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

/// <summary>
/// Scheduled snapshot policies (a child of the coordinator, persistence id "policies"). On each
/// tick: starts the run that is due for each policy (one run, however many occurrences passed
/// while no coordinator was up) as a snapshot campaign through the coordinator; asks the
/// coordinator about runs whose campaign has not ended; once one has, prunes: the policy's hosts
/// from the registry, the open campaigns from the coordinator, <see cref="Retention"/> decides,
/// and each host gets one remove-snapshot step with key prune/POLICY/CAMPAIGN/HOST through the
/// registry. Decisions are in <see cref="PolicyBook"/>, <see cref="PolicySchedule"/>,
/// <see cref="PolicyValidation"/> and <see cref="Retention"/>; this actor persists, replies and sends.
/// </summary>
public sealed class PolicySchedulerActor : ReceivePersistentActor, IWithTimers
{
    public const string Id = "policies";

    private readonly PolicySchedulerSettings settings;
    private readonly IActorRef coordinator;
    private readonly IActorRef registry;
    private readonly Func<DateTimeOffset> clock;
    private readonly ILoggingAdapter log = Context.GetLogger();

    private PolicyBook book = PolicyBook.Empty;
    private readonly Dictionary<string, PolicySchedule> schedules = new(StringComparer.Ordinal);
    // Transient: what is in flight, and what the coordinator said.
    private readonly HashSet<string> starting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> checking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> campaignStates = new(StringComparer.Ordinal);

    public PolicySchedulerActor(PolicySchedulerSettings settings, IActorRef coordinator, IActorRef registry, Func<DateTimeOffset> clock)
    {
        this.settings = settings;
        this.coordinator = coordinator;
        this.registry = registry;
        this.clock = clock;
        if (settings.JournalPluginId is { } journal) JournalPluginId = journal;
        if (settings.SnapshotPluginId is { } store) SnapshotPluginId = store;

        Recover<SnapshotOffer>(offer => book = PolicyBook.From((PolicyBookSnapshot)offer.Snapshot));
        Recover<IPolicyEvent>(e => book = book.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<AddPolicy>(OnAdd);
        Command<ListPolicies>(_ => Sender.Tell(new PolicyList([.. book.Policies.Values.Select(View)])));
        Command<GetPolicy>(m => Reply(() => View(Existing(m.Name))));
        Command<RemovePolicy>(OnRemove);
        Command<RunPolicyNow>(OnRunNow);

        Command<SchedulerTick>(_ => OnTick());
        Command<RunAccepted>(OnRunAccepted);
        Command<RunNotStarted>(OnRunNotStarted);
        Command<CampaignChecked>(OnCampaignChecked);
        Command<PruneInputs>(OnPruneInputs);
        Command<PruneNotPossible>(m =>
        {
            checking.Remove(m.CampaignId);
            log.Warning("policy={0} campaign={1}: pruning waits for the next tick: {2}", m.Name, m.CampaignId, m.Cause.Message);
        });
        Command<HostStepResult>(r =>
        {
            if (r.Ok) log.Info("host={0}: policy pruning: {1} ({2})", r.HostId, r.Detail, r.Key);
            else log.Warning("host={0}: policy pruning failed: {1} ({2})", r.HostId, r.Detail, r.Key);
        });
        Command<HostStepRefused>(r => log.Warning("host={0}: policy pruning refused: {1} ({2})", r.HostId, r.Reason, r.Key));
        Command<SaveSnapshotSuccess>(s => log.Debug("policies: Akka snapshot saved at seq {0}", s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => log.Warning("policies: Akka snapshot at seq {0} failed: {1} (recovery replays more events)", f.Metadata.SequenceNr, f.Cause.Message));
    }

    public override string PersistenceId => Id;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="coordinator">Where campaigns start and are looked up (normally the parent).</param>
    /// <param name="registry">The host registry; null = through the coordinator, which forwards registry messages.</param>
    public static Props Props(PolicySchedulerSettings settings, IActorRef coordinator, IActorRef? registry = null, Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new PolicySchedulerActor(settings, coordinator, registry ?? coordinator, clock ?? (() => DateTimeOffset.UtcNow)));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "policies: journal write of {0} failed; the scheduler stops: {1}", @event.GetType().Name, cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void OnRecovered()
    {
        foreach (var policy in book.Policies.Values) schedules[policy.Name] = PolicySchedule.Of(policy.Spec);
        log.Info("policies: {0} policies recovered, {1} runs waiting for their campaign to end", book.Policies.Count, book.Unpruned().Count());
        Timers.StartPeriodicTimer("tick", SchedulerTick.Instance, TimeSpan.Zero, settings.TickInterval);
    }

    // ---------------------------------------------------------------- commands

    private void OnAdd(AddPolicy add)
    {
        PolicySpec spec;
        try { spec = PolicyValidation.Validate(add.Spec); }
        catch (FleetRequestException e) { Sender.Tell(new Status.Failure(e)); return; }
        if (book.Find(spec.Name) is not null)
        {
            Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.Conflict, $"policy '{spec.Name}' already exists")));
            return;
        }
        var replyTo = Sender;
        Persist(new PolicyAdded(spec, clock()), e =>
        {
            Applied(e);
            schedules[spec.Name] = PolicySchedule.Of(spec);
            log.Info("policy={0}: added: '{1}' ({2}) on hosts {3}, volumes {4}, keep {5}", spec.Name, spec.Cron, spec.TimeZone, spec.Hosts, string.Join(",", spec.Volumes), spec.Keep);
            replyTo.Tell(View(book.Find(spec.Name)!));
        });
    }

    private void OnRemove(RemovePolicy remove)
    {
        PolicyView view;
        try { view = View(Existing(remove.Name)); }
        catch (FleetRequestException e) { Sender.Tell(new Status.Failure(e)); return; }
        var replyTo = Sender;
        Persist(new PolicyRemoved(remove.Name, clock()), e =>
        {
            Applied(e);
            schedules.Remove(remove.Name);
            refused.Remove(remove.Name);
            log.Info("policy={0}: removed (its snapshots stay)", remove.Name);
            replyTo.Tell(view);
        });
    }

    private void OnRunNow(RunPolicyNow run)
    {
        PolicyEntry policy;
        try { policy = Existing(run.Name); }
        catch (FleetRequestException e) { Sender.Tell(new Status.Failure(e)); return; }
        if (starting.Contains(policy.Name))
        {
            Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.Conflict, $"policy '{policy.Name}' is starting a run already")));
            return;
        }
        Start(policy, new DueRun(clock(), Missed: false), Sender);
    }

    // ---------------------------------------------------------------- runs

    private void OnTick()
    {
        var now = clock();
        foreach (var policy in book.Policies.Values)
        {
            if (starting.Contains(policy.Name)) continue;
            if (schedules[policy.Name].DueAt(PolicyBook.Anchor(policy), now, settings.Lateness) is not { } due) continue;
            if (refused.TryGetValue(policy.Name, out var refusedDue) && refusedDue == due.Due) continue;
            Start(policy, due, replyTo: null);
        }
        foreach (var (policy, run) in book.Unpruned())
        {
            if (!checking.Add(run.CampaignId)) continue;
            string name = policy.Name, id = run.CampaignId;
            coordinator.Ask<CampaignView>(new GetCampaign(id), settings.AskTimeout).PipeTo(Self,
                success: view => new CampaignChecked(name, id, view.State, null),
                failure: e => new CampaignChecked(name, id, null, Unwrap(e)));
        }
    }

    private void Start(PolicyEntry policy, DueRun run, IActorRef? replyTo)
    {
        var p = policy.Spec;
        var spec = new CampaignSpec(CampaignKinds.Snapshot, p.Hosts, p.Volumes, p.Size, p.ChunkBytes, Of: null, Upgrade: false, Health: false,
            Canary: 0, WaveSize: "100%", MaxInFlight: 0, FailureBudget: "100%", AutoRollback: false, settings.CampaignStepTimeout, Window: null, Policy: p.Name);
        starting.Add(p.Name);
        string name = p.Name;
        // A scheduled run is keyed by policy and due time: retried after a crash between the coordinator accepting
        // it and this journal recording it, it gets the campaign it already started, not a second one.
        // "Run now" asks again each time it is asked.
        string? key = replyTo is null ? $"policy {name} due {run.Due.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : null;
        coordinator.Ask<CampaignAccepted>(new StartCampaign(spec, $"policy {name}", key), settings.AskTimeout).PipeTo(Self,
            success: accepted => new RunAccepted(name, run, accepted, replyTo),
            failure: e => new RunNotStarted(name, run, Unwrap(e), replyTo));
    }

    private void OnRunAccepted(RunAccepted m)
    {
        starting.Remove(m.Name);
        refused.Remove(m.Name);
        if (book.Find(m.Name) is null)
        {
            log.Warning("policy={0} campaign={1}: the policy was removed while its run started: the campaign runs unrecorded", m.Name, m.Accepted.Id);
            m.ReplyTo?.Tell(m.Accepted);
            return;
        }
        Persist(new PolicyRunStarted(m.Name, m.Run.Due, m.Accepted.Id, m.Run.Missed, clock()), e =>
        {
            Applied(e);
            campaignStates[m.Accepted.Id] = CampaignStates.Running;
            log.Info("policy={0} campaign={1}: run due {2:o}{3} started the campaign on {4} hosts", m.Name, m.Accepted.Id, m.Run.Due,
                m.Run.Missed ? " (missed while no coordinator ran; one run for all missed)" : "", m.Accepted.Hosts);
            m.ReplyTo?.Tell(m.Accepted);
        });
    }

    private void OnRunNotStarted(RunNotStarted m)
    {
        starting.Remove(m.Name);
        if (m.ReplyTo is { } replyTo)
        {
            replyTo.Tell(new Status.Failure(m.Cause));
            return;
        }
        // A refusal (no host matches…) skips this occurrence; no answer in time is retried at the next tick.
        if (m.Cause is FleetRequestException) refused[m.Name] = m.Run.Due;
        log.Warning("policy={0}: the run due {1:o} did not start{2}: {3}", m.Name, m.Run.Due,
            m.Cause is FleetRequestException ? " (skipped until the next occurrence)" : " (retried at the next tick)", m.Cause.Message);
    }

    // ---------------------------------------------------------------- pruning

    private void OnCampaignChecked(CampaignChecked m)
    {
        bool unknown = m.Failure is FleetRequestException { Kind: FleetRequestException.NotFound };
        if (m.Failure is not null && !unknown)
        {
            checking.Remove(m.CampaignId);
            log.Debug("policy={0} campaign={1}: no state for the campaign yet: {2}", m.Name, m.CampaignId, m.Failure.Message);
            return;
        }
        if (m.State is { } state) campaignStates[m.CampaignId] = state;
        if (!unknown && m.State is CampaignStates.Running or CampaignStates.Paused)
        {
            checking.Remove(m.CampaignId);
            return;
        }
        if (book.Find(m.Name) is not { } policy)
        {
            checking.Remove(m.CampaignId);
            return;
        }
        // The run's campaign has ended (or the coordinator has forgotten it): gather what pruning needs.
        string name = m.Name, id = m.CampaignId, hosts = policy.Spec.Hosts;
        string? ended = m.State;
        var timeout = settings.AskTimeout;
        Gather().PipeTo(Self);

        async Task<object> Gather()
        {
            try
            {
                var hostList = await registry.Ask<HostList>(new ListHosts(hosts), timeout);
                var campaigns = await coordinator.Ask<CampaignList>(ListCampaigns.Instance, timeout);
                return new PruneInputs(name, id, ended, hostList, campaigns);
            }
            catch (Exception e) { return new PruneNotPossible(name, id, Unwrap(e)); }
        }
    }

    private void OnPruneInputs(PruneInputs m)
    {
        if (book.Find(m.Name) is not { } policy)
        {
            checking.Remove(m.CampaignId);
            return;
        }
        var now = clock();
        // A running rollback or commit holds the snapshots of the campaign it acts on (its Of), not its own id.
        var open = m.Campaigns.Campaigns.Where(c => c.State is CampaignStates.Running or CampaignStates.Paused)
            .SelectMany(c => c.Of is { } of ? [c.Id, of] : new[] { c.Id }).ToHashSet(StringComparer.Ordinal);
        var plan = Retention.Plan(policy.Spec.Keep, policy.Spec.MaxAge,
            [.. policy.Runs.Select(r => new RetentionRun(r.CampaignId, r.Due))],
            m.Hosts.Hosts.Where(h => h.Reachability == Reachability.Reachable).Select(h => new HostVolumes(h.HostId, h.Volumes)),
            open, now);
        // Steps first, then the record: a crash in between prunes again with the same keys, which hosts answer from their record.
        foreach (var host in plan)
        {
            var step = new HostStep($"prune/{m.Name}/{m.CampaignId}/{host.HostId}", m.CampaignId, host.HostId, StepKinds.RemoveSnapshot,
                host.Origins, SnapshotTag: null, Size: null, ChunkBytes: 0, Hook: null, host.Snapshots, settings.PruneStepTimeout);
            registry.Tell(new DeliverStep(step), Self);
        }
        int removed = plan.Sum(p => p.Snapshots.Count);
        Persist(new PolicyRunPruned(m.Name, m.CampaignId, removed, m.CampaignState, now), e =>
        {
            Applied(e);
            checking.Remove(m.CampaignId);
            campaignStates.Remove(m.CampaignId); // the record holds it now
            log.Info("policy={0} campaign={1}: the campaign ended ({2}); pruning asked {3} hosts to remove {4} snapshots", m.Name, m.CampaignId,
                m.CampaignState ?? "unknown to the coordinator", plan.Count, removed);
        });
    }

    // ---------------------------------------------------------------- helpers

    private void Applied(IPolicyEvent e)
    {
        book = book.Apply(e);
        if (LastSequenceNr % settings.SnapshotEvery == 0) SaveSnapshot(book.ToSnapshot());
    }

    private PolicyEntry Existing(string name) =>
        book.Find(name) ?? throw new FleetRequestException(FleetRequestException.NotFound, $"policy '{name}' not found");

    private PolicyView View(PolicyEntry policy) => PolicyBook.View(policy, schedules[policy.Name], clock(), campaignStates);

    private void Reply(Func<object> answer)
    {
        try { Sender.Tell(answer()); }
        catch (FleetRequestException e) { Sender.Tell(new Status.Failure(e)); }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;
}
