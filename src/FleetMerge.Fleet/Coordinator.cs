using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet;

/// <summary>
/// The fleet's root actor (a cluster singleton on coordinator nodes). Its children: the host
/// registry, the policy scheduler (if any) and one <see cref="CampaignActor"/> per campaign that
/// has not ended (and, for a while, ended ones started again to answer a query). It keeps the
/// campaign index (persistence id "campaigns": the id sequence and the final summary of every
/// ended campaign), so campaigns are listed after a restart and the running ones are started
/// again after a failover or a crash.
/// <para>
/// Routing: campaign commands here (or to the campaign's actor); host reports, host queries and
/// registry requests to the registry; policy commands to the policy scheduler. All forwarded, so
/// replies go straight to the asker.
/// </para>
/// </summary>
public sealed class Coordinator : ReceivePersistentActor, IWithTimers
{
    public const string IndexPersistenceId = "campaigns";

    /// <summary>The selector of hosts preferred for canary waves.</summary>
    public const string CanarySelector = "canary=true";

    private readonly CoordinatorSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private CampaignIndexState index = CampaignIndex.Empty;
    private long lastSnapshotAt;
    private IActorRef registry = ActorRefs.Nobody;
    private IActorRef? policies;

    private readonly Dictionary<string, IActorRef> campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> owners = new();
    private readonly HashSet<IActorRef> passivating = [];
    private readonly Dictionary<string, CampaignIndexEntry> live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> stopped = new(StringComparer.Ordinal);
    private long spawned;
    private IActorRef? writeReplyTo;

    public Coordinator(CoordinatorSettings settings)
    {
        this.settings = settings;
        if (settings.JournalPluginId is { } journal) JournalPluginId = journal;
        if (settings.SnapshotPluginId is { } snapshots) SnapshotPluginId = snapshots;

        Recover<SnapshotOffer>(offer =>
        {
            index = (CampaignIndexState)offer.Snapshot;
            lastSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<ICampaignIndexEvent>(e => index = CampaignIndex.Apply(index, e));
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<StartCampaign>(OnStart);
        Command<ListCampaigns>(_ => Sender.Tell(new CampaignList([.. Entries().Select(CampaignProjection.Summary)])));
        Command<GetCampaign>(c => Route(c.Id, c));
        Command<PauseCampaign>(c => Route(c.Id, c));
        Command<ResumeCampaign>(c => Route(c.Id, c));
        Command<AbortCampaign>(c => Route(c.Id, c));
        Command<IHostRegistryMessage>(m => registry.Forward(m));
        Command<IHostQuery>(m => registry.Forward(m));
        Command<IRegistryRequest>(m => registry.Forward(m));
        Command<IPolicyCommand>(OnPolicyCommand);

        Command<CampaignResolved>(OnResolved);
        Command<CampaignStartFailed>(f => f.ReplyTo.Tell(new Status.Failure(Explain(f.Error))));
        Command<CampaignProgress>(p =>
        {
            if (CampaignIndex.Find(index, p.Entry.Id) is { } e && CampaignIndex.IsOpen(e)) live[p.Entry.Id] = p.Entry;
        });
        Command<CampaignFinished>(OnFinished);
        Command<CampaignNeverCreated>(OnNeverCreated);
        Command<CampaignStopped>(OnStopped);
        Command<CampaignIdle>(OnIdle);
        Command<RestartCampaign>(OnRestart);
        Command<Terminated>(t => OnTerminated(t.ActorRef));
        Command<SaveSnapshotSuccess>(s => log.Debug("coordinator: campaign index snapshot saved at seq {0}", s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => log.Warning("coordinator: campaign index snapshot at seq {0} failed: {1}", f.Metadata.SequenceNr, f.Cause.Message));
    }

    public override string PersistenceId => IndexPersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorSettings settings) => Akka.Actor.Props.Create(() => new Coordinator(settings));

    /// <summary>
    /// The coordinator under a backoff supervisor that starts it again when it stops (a failed
    /// write to the campaign index stops it, as any persistent actor): use this as the singleton's
    /// Props. Messages to the supervisor reach the coordinator (while it waits to start again they go to dead letters; askers time out and retry).
    /// </summary>
    public static Props SupervisedProps(CoordinatorSettings settings, TimeSpan? minBackoff = null) =>
        BackoffSupervisor.Props(Backoff.OnStop(Props(settings), "coordinator", minBackoff ?? TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, -1));

    protected override void PreStart()
    {
        registry = settings.Registry(Context);
        Context.Watch(registry);
        policies = settings.PolicyScheduler?.Invoke(Context);
        base.PreStart();
    }

    /// <summary>Campaign actors and the registry restart on an exception; one that fails to start stops.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: e => e switch
        {
            ActorInitializationException => Directive.Stop,
            _ => Directive.Restart,
        });

    private void Recovered()
    {
        var open = CampaignIndex.Open(index).ToList();
        log.Info("coordinator: campaign index recovered: {0} campaigns, {1} not ended{2}", index.Campaigns.Count, open.Count,
            open.Count == 0 ? "" : $" ({string.Join(", ", open.Select(e => e.Id))}): starting them again");
        foreach (var entry in open)
        {
            live[entry.Id] = entry;
            Spawn(entry, null);
        }
    }

    // ---------------------------------------------------------------- starting a campaign

    private void OnStart(StartCampaign start)
    {
        var replyTo = Sender;
        if (AlreadyOpened(start, replyTo)) return;
        try
        {
            var spec = start.Spec;
            CampaignValidation.Validate(spec);
            IActorRef? of = null;
            if (spec.Of is { } ofId)
            {
                var entry = CampaignIndex.Find(index, ofId) ?? throw NotFound($"of {ofId}: no such campaign");
                if (entry.Kind != CampaignKinds.Snapshot)
                    throw new FleetRequestException(FleetRequestException.BadRequest, $"of {ofId}: campaign {ofId} is a {entry.Kind} campaign; rollback and commit act on a snapshot campaign");
                if (CampaignIndex.IsOpen(entry))
                    throw new FleetRequestException(FleetRequestException.Conflict, $"of {ofId}: campaign {ofId} has not ended ({Live(entry).State}); wait for it or abort it first");
                of = CampaignFor(entry);
            }
            Resolve(spec, of, registry, settings.AskTimeout)
                .PipeTo(Self, success: r => new CampaignResolved(start, replyTo, r.Selected, r.Canary, r.Of), failure: e => new CampaignStartFailed(replyTo, e));
        }
        catch (FleetRequestException e)
        {
            replyTo.Tell(new Status.Failure(e));
        }
    }

    private sealed record Resolution(IReadOnlyList<string>? Selected, IReadOnlyList<string> Canary, CampaignTargets? Of);

    /// <summary>Off the actor's thread: the hosts the selector names, the canary-labelled hosts, and the campaign acted on.</summary>
    private static async Task<Resolution> Resolve(CampaignSpec spec, IActorRef? of, IActorRef registry, TimeSpan timeout)
    {
        CampaignTargets? targets = of is null ? null : await Ask<CampaignTargets>(of, GetCampaignTargets.Instance, timeout, $"campaign {spec.Of}");
        IReadOnlyList<string>? selected = null;
        if (spec.Kind == CampaignKinds.Snapshot || spec.Hosts.Trim() != "all")
            selected = (await Ask<ResolvedHosts>(registry, new ResolveHosts(spec.Hosts), timeout, "the host registry")).HostIds;
        IReadOnlyList<string> canary = [];
        if (spec.Canary > 0)
        {
            // A preference only: a registry that cannot resolve it leaves the canaries to host order.
            try { canary = (await Ask<ResolvedHosts>(registry, new ResolveHosts(CanarySelector), timeout, "the host registry")).HostIds; }
            catch (Exception e) when (e is FleetRequestException or TimeoutException) { canary = []; }
        }
        return new Resolution(selected, canary, targets);
    }

    private static async Task<T> Ask<T>(IActorRef actor, object message, TimeSpan timeout, string who)
    {
        try { return await actor.Ask<T>(message, timeout); }
        catch (AskTimeoutException e) { throw new TimeoutException($"{who} did not answer within {CampaignTuning.Format(timeout)}", e); }
    }

    /// <summary>A repeated idempotent start is answered with the campaign its key opened.</summary>
    private bool AlreadyOpened(StartCampaign start, IActorRef replyTo)
    {
        if (CampaignIndex.FindByRequestKey(index, start.RequestKey) is not { } opened) return false;
        log.Info("campaign={0}: a start repeated with request key '{1}' is answered with the campaign it opened", opened.Id, start.RequestKey);
        replyTo.Tell(new CampaignAccepted(opened.Id, opened.HostCount));
        return true;
    }

    private void OnResolved(CampaignResolved r)
    {
        if (AlreadyOpened(r.Request, r.ReplyTo)) return;
        var spec = r.Request.Spec;
        int number = CampaignIndex.NextNumber(index);
        string id = CampaignIndex.IdFor(number);
        CampaignPlan plan;
        try
        {
            if (r.Of is { Ended: false } of)
                throw new FleetRequestException(FleetRequestException.Conflict, $"of {of.Id}: campaign {of.Id} has not ended ({of.State}); wait for it or abort it first");
            plan = CampaignPlanner.Plan(id, spec, r.Selected, r.LabelledCanary, r.Of);
        }
        catch (FleetRequestException e)
        {
            r.ReplyTo.Tell(new Status.Failure(e));
            return;
        }
        var entry = NewEntry(plan, number) with { RequestKey = r.Request.RequestKey };
        writeReplyTo = r.ReplyTo;
        Persist(new CampaignOpened(entry, r.Request.RequestedBy), opened =>
        {
            writeReplyTo = null;
            Opened(opened, new CampaignCreation(plan, r.Request.RequestedBy, r.ReplyTo));
        });
    }

    private CampaignIndexEntry NewEntry(CampaignPlan plan, int number) => new(
        plan.Id, number, plan.Spec.Kind, CampaignStates.Running, plan.Spec.Hosts, plan.Waves.Sum(w => w.Hosts.Count), 0, 0, 0,
        settings.Campaigns.Clock(), null, plan.Spec.Policy, plan.Spec.Of, null);

    private void Opened(CampaignOpened opened, CampaignCreation creation)
    {
        index = CampaignIndex.Apply(index, opened);
        live[opened.Entry.Id] = opened.Entry;
        Spawn(opened.Entry, creation);
        MaybeSnapshot();
    }

    // ---------------------------------------------------------------- campaigns ending

    private void OnFinished(CampaignFinished finished)
    {
        var campaign = Sender;
        var known = CampaignIndex.Find(index, finished.Entry.Id);
        if (known is null) return;
        if (!CampaignIndex.IsOpen(known))
        {
            campaign.Tell(new CampaignClosedAck(known.FollowUp));
            return;
        }
        live.Remove(known.Id);
        if (finished.AutoRollback.Count == 0)
        {
            writeReplyTo = null;
            Persist(new CampaignClosed(finished.Entry), closed =>
            {
                index = CampaignIndex.Apply(index, closed);
                campaign.Tell(new CampaignClosedAck(null));
                MaybeSnapshot();
            });
            return;
        }
        int number = CampaignIndex.NextNumber(index);
        string followUp = CampaignIndex.IdFor(number);
        var spec = AutoRollback.Spec(finished.Spec, known.Id, finished.AutoRollback);
        string requestedBy = AutoRollback.RequestedBy(known.Id);
        CampaignPlan plan;
        try { plan = CampaignPlanner.Plan(followUp, spec, finished.AutoRollback, [], finished.Targets); }
        catch (FleetRequestException e)
        {
            log.Error("campaign={0}: the coordinator could not plan its automatic rollback: {1}", known.Id, e.Message);
            Persist(new CampaignClosed(finished.Entry), closed =>
            {
                index = CampaignIndex.Apply(index, closed);
                campaign.Tell(new CampaignClosedAck(null));
            });
            return;
        }
        log.Info("campaign={0} follow_up={1}: halted; the coordinator starts rollback campaign {1} for {2}", known.Id, followUp, string.Join(", ", finished.AutoRollback));
        var opened = new CampaignOpened(NewEntry(plan, number), requestedBy);
        PersistAll(new ICampaignIndexEvent[] { new CampaignClosed(finished.Entry with { FollowUp = followUp }), opened }, e =>
        {
            if (e is CampaignClosed closed)
            {
                index = CampaignIndex.Apply(index, closed);
                return;
            }
            Opened((CampaignOpened)e, new CampaignCreation(plan, requestedBy, ActorRefs.Nobody));
            campaign.Tell(new CampaignClosedAck(followUp));
        });
    }

    private void OnNeverCreated(CampaignNeverCreated never)
    {
        if (CampaignIndex.Find(index, never.Id) is not { } entry || !CampaignIndex.IsOpen(entry)) return;
        live.Remove(never.Id);
        log.Warning("campaign={0}: never recorded (the coordinator stopped while starting it); it is closed as failed, no host was asked anything", never.Id);
        Persist(new CampaignClosed(entry with { State = CampaignStates.Failed, EndedAt = settings.Campaigns.Clock() }), closed =>
        {
            index = CampaignIndex.Apply(index, closed);
            MaybeSnapshot();
        });
    }

    // ---------------------------------------------------------------- campaign actors

    private void Route(string id, object command)
    {
        if (CampaignIndex.Find(index, id) is not { } entry)
        {
            Sender.Tell(new Status.Failure(NotFound($"campaign {id}: no such campaign")));
            return;
        }
        if (stopped.TryGetValue(id, out string? reason))
        {
            Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.Conflict,
                $"campaign {id} is stopped: {reason}; the coordinator starts it again every {CampaignTuning.Format(settings.RestartDelay)}")));
            return;
        }
        CampaignFor(entry).Forward(command);
    }

    /// <summary>The campaign's actor, started (it recovers from its journal) if it is not running.</summary>
    private IActorRef CampaignFor(CampaignIndexEntry entry) =>
        campaigns.TryGetValue(entry.Id, out var actor) ? actor : Spawn(entry, null);

    private IActorRef Spawn(CampaignIndexEntry entry, CampaignCreation? creation)
    {
        var actor = Context.ActorOf(CampaignActor.Props(entry.Id, entry.Number, registry, settings.CampaignSettings, creation), $"campaign-{entry.Id}-{++spawned}");
        Context.Watch(actor);
        campaigns[entry.Id] = actor;
        owners[actor] = entry.Id;
        return actor;
    }

    private void OnStopped(CampaignStopped s)
    {
        stopped[s.Id] = s.Reason;
        log.Error("campaign={0}: stopped: {1}; the coordinator starts it again in {2}", s.Id, s.Reason, CampaignTuning.Format(settings.RestartDelay));
    }

    private void OnTerminated(IActorRef actor)
    {
        if (actor.Equals(registry))
        {
            log.Error("coordinator: the host registry stopped; campaigns cannot reach hosts until the coordinator starts again");
            return;
        }
        if (!owners.Remove(actor, out string? id)) return;
        if (campaigns.TryGetValue(id, out var current) && current.Equals(actor)) campaigns.Remove(id);
        if (passivating.Remove(actor)) return;
        if (CampaignIndex.Find(index, id) is not { } entry || !CampaignIndex.IsOpen(entry)) return;
        if (!stopped.ContainsKey(id))
        {
            stopped[id] = "its actor stopped unexpectedly";
            log.Error("campaign={0}: its actor stopped unexpectedly; the coordinator starts it again in {1}", id, CampaignTuning.Format(settings.RestartDelay));
        }
        Timers.StartSingleTimer($"restart-{id}", new RestartCampaign(id), settings.RestartDelay);
    }

    private void OnRestart(RestartCampaign restart)
    {
        stopped.Remove(restart.Id);
        if (campaigns.ContainsKey(restart.Id)) return;
        if (CampaignIndex.Find(index, restart.Id) is { } entry && CampaignIndex.IsOpen(entry))
        {
            log.Info("campaign={0}: the coordinator starts it again", restart.Id);
            Spawn(entry, null);
        }
    }

    private void OnIdle(CampaignIdle idle)
    {
        if (!campaigns.TryGetValue(idle.Id, out var actor) || !actor.Equals(Sender)) return;
        if (CampaignIndex.Find(index, idle.Id) is { } entry && CampaignIndex.IsOpen(entry)) return;
        campaigns.Remove(idle.Id);
        passivating.Add(actor);
        Context.Stop(actor);
    }

    // ---------------------------------------------------------------- the rest

    private void OnPolicyCommand(IPolicyCommand command)
    {
        if (policies is null)
        {
            Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.Conflict,
                "policies are not available: this coordinator runs without a policy scheduler")));
            return;
        }
        policies.Forward(command);
    }

    private IEnumerable<CampaignIndexEntry> Entries() => index.Campaigns.OrderBy(e => e.Number).Select(Live);

    private CampaignIndexEntry Live(CampaignIndexEntry entry) =>
        CampaignIndex.IsOpen(entry) && live.TryGetValue(entry.Id, out var current) ? current : entry;

    private void MaybeSnapshot()
    {
        if (LastSequenceNr - lastSnapshotAt < settings.IndexSnapshotEvery) return;
        lastSnapshotAt = LastSequenceNr;
        SaveSnapshot(index);
    }

    private static FleetRequestException NotFound(string message) => new(FleetRequestException.NotFound, message);

    private static Exception Explain(Exception e) => e switch
    {
        FleetRequestException or TimeoutException => e,
        _ => new InvalidOperationException($"campaign start failed: {e.Message}", e),
    };

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var error = new CampaignJournalException(
            $"coordinator: the campaign index could not record {@event.GetType().Name} ({cause.Message}); the coordinator stopped", cause);
        log.Error(cause, "{0}", error.Message);
        writeReplyTo?.Tell(new Status.Failure(error));
        writeReplyTo = null;
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null) =>
        log.Error(reason, "coordinator: the campaign index could not be read ({0}); the coordinator stopped", reason.Message);
}
