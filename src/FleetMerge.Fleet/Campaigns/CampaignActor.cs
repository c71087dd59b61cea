using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// One campaign (persistence id "campaign-&lt;id&gt;"): journals what <see cref="CampaignDecisions"/>
/// decides, then sends the steps it started to the host registry (<see cref="DeliverStep"/>, the
/// campaign as Sender, so hosts answer here), replies and reports to its parent, the coordinator.
/// <para>
/// One batch at a time. Inputs (host answers, ticks, pause/resume/abort) queue while a batch is
/// being written; the next batch decides on all of them at once and is written with one
/// PersistAllAsync, so a thousand hosts answering together cost a few journal round trips, not
/// a thousand. A step is sent only once its StepStarted is in the journal: after a crash the
/// journal knows every step that may have reached a host, and the campaign resends each
/// unanswered one under its key (the host answers from its record instead of running it twice).
/// A failed write stops the actor before anything it decided is sent; the coordinator reports
/// it and starts the campaign again.
/// </para>
/// </summary>
public sealed class CampaignActor : ReceivePersistentActor, IWithTimers
{
    private const string TickTimer = "tick";

    private readonly string id;
    private readonly int number;
    private readonly IActorRef registry;
    private readonly CampaignSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private CampaignCreation? creation;

    private CampaignState? state;
    private long lastSnapshotAt;
    private int replayed;
    private readonly List<(object Input, IActorRef ReplyTo)> inbox = [];
    private readonly Dictionary<string, DateTimeOffset> lastSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> refusals = new(StringComparer.Ordinal);
    private Batch? writing;

    public CampaignActor(string id, int number, IActorRef registry, CampaignSettings settings, CampaignCreation? creation)
    {
        this.id = id;
        this.number = number;
        this.registry = registry;
        this.settings = settings;
        this.creation = creation;
        PersistenceId = PersistenceIdFor(id);
        if (settings.JournalPluginId is { } journal) JournalPluginId = journal;
        if (settings.SnapshotPluginId is { } snapshots) SnapshotPluginId = snapshots;

        Recover<SnapshotOffer>(offer =>
        {
            state = (CampaignState)offer.Snapshot;
            lastSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<CampaignCreated>(e =>
        {
            state = CampaignEvolution.Create(e);
            replayed++;
        });
        Recover<ICampaignEvent>(e =>
        {
            state = CampaignEvolution.Apply(state!, e);
            replayed++;
        });
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<HostStepResult>(r => Enqueue(r));
        Command<HostStepRefused>(r =>
        {
            // Not an answer: the step did not run. It is sent again until it is answered or times out.
            if (state is null || CampaignDecisions.Host(state, r.HostId)?.PendingKey != r.Key) return;
            if (refusals.TryAdd(r.Key, r.Reason)) log.Info("campaign={0} host={1}: step {2} refused: {3}; it is sent again", id, r.HostId, r.Key, r.Reason);
            else refusals[r.Key] = r.Reason;
        });
        Command<CampaignTick>(t =>
        {
            if (!inbox.Any(i => i.Input is CampaignTick)) Enqueue(t);
        });
        Command<PauseCampaign>(c => Enqueue(c));
        Command<ResumeCampaign>(c => Enqueue(c));
        Command<AbortCampaign>(c => Enqueue(c));
        Command<CampaignClosedAck>(c => Enqueue(c));
        Command<GetCampaign>(_ => Answer(s => CampaignProjection.View(s, settings.Clock())));
        Command<GetCampaignTargets>(_ => Answer(CampaignDecisions.Targets));
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new CampaignIdle(id)));
        Command<SaveSnapshotSuccess>(s => log.Debug("campaign={0}: Akka snapshot saved at seq {1}", id, s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => log.Warning("campaign={0}: Akka snapshot at seq {1} failed: {2} (recovery replays more events)", id, f.Metadata.SequenceNr, f.Cause.Message));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdFor(string campaignId) => $"campaign-{campaignId}";

    public static Props Props(string id, int number, IActorRef registry, CampaignSettings settings, CampaignCreation? creation = null) =>
        Akka.Actor.Props.Create(() => new CampaignActor(id, number, registry, settings, creation));

    // ---------------------------------------------------------------- start

    private void Recovered()
    {
        if (state is null)
        {
            if (creation is { } created) Create(created);
            else
            {
                log.Warning("campaign={0}: its journal is empty: the coordinator stopped before the campaign recorded its plan; nothing was sent to any host", id);
                Context.Parent.Tell(new CampaignNeverCreated(id));
                Context.SetReceiveTimeout(settings.IdleAfterEnd);
            }
            return;
        }
        if (creation is { } duplicate)
        {
            creation = null;
            duplicate.ReplyTo.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.Conflict, $"campaign {id} exists already")));
        }
        if (state.EndedAt is not null)
        {
            Finished();
            return;
        }
        string from = lastSnapshotAt > 0 ? $"Akka snapshot at seq {lastSnapshotAt} + {replayed} events" : $"{replayed} events";
        log.Info("campaign={0}: recovered from {1} ({2}); {3} steps unanswered, sending them again", id, from, CampaignEvolution.Tally(state),
            state.Hosts.Count(h => h.PendingKey is not null));
        Timers.StartPeriodicTimer(TickTimer, CampaignTick.Instance, settings.TickInterval);
        Enqueue(Recovering.Instance);
    }

    private void Create(CampaignCreation created)
    {
        // Persist (not async): commands wait until the plan is in the journal.
        Persist(CampaignDecisions.Create(created.Plan, created.RequestedBy, settings.Clock()), e =>
        {
            creation = null;
            state = CampaignEvolution.Create(e);
            log.Info("campaign={0}: {1}", id, state.Timeline[0].What);
            FleetMetrics.CampaignStarted(state.Plan.Spec.Kind);
            created.ReplyTo.Tell(new CampaignAccepted(id, state.Hosts.Count));
            Context.Parent.Tell(new CampaignProgress(CampaignProjection.Entry(state, number)));
            Timers.StartPeriodicTimer(TickTimer, CampaignTick.Instance, settings.TickInterval);
            Enqueue(CampaignTick.Instance);
        });
    }

    // ---------------------------------------------------------------- batches

    private void Enqueue(object input)
    {
        if (state is null)
        {
            // Only a campaign that was never recorded gets here (a new one waits for its plan in Persist).
            if (input is PauseCampaign or ResumeCampaign or AbortCampaign) Sender.Tell(NeverRecorded());
            return;
        }
        inbox.Add((input, Sender));
        Process();
    }

    /// <summary>Decides on every queued input, then writes the events as one batch (unless one is being written).</summary>
    private void Process()
    {
        if (writing is not null || inbox.Count == 0 || state is null) return;
        var now = settings.Clock();
        bool wasEnded = state.EndedAt is not null;
        var batch = new Batch();
        var inputs = inbox.ToList();
        inbox.Clear();
        foreach (var (input, replyTo) in inputs)
        {
            switch (input)
            {
                case HostStepResult result:
                    Take(batch, CampaignDecisions.OnResult(state, result, now));
                    break;
                case CampaignTick:
                    Take(batch, CampaignDecisions.OnTick(state, now, settings.Tuning, key => refusals.GetValueOrDefault(key)));
                    batch.ResendDue = true;
                    break;
                case Recovering:
                    Take(batch, CampaignDecisions.Recovered(state, now));
                    batch.ResendAll = true;
                    break;
                case CampaignClosedAck ack:
                    Take(batch, CampaignDecisions.RecordFollowUp(state, ack.FollowUp, now));
                    break;
                case PauseCampaign:
                    Operator(batch, replyTo, () => CampaignDecisions.Pause(state, now));
                    break;
                case ResumeCampaign:
                    Operator(batch, replyTo, () => CampaignDecisions.Resume(state, now));
                    break;
                case AbortCampaign:
                    Operator(batch, replyTo, () => CampaignDecisions.Abort(state, now));
                    break;
            }
        }
        Take(batch, CampaignDecisions.Advance(state, now));
        batch.EndedNow = !wasEnded && state.EndedAt is not null;
        if (batch.Events.Count == 0)
        {
            Perform(batch);
            return;
        }
        writing = batch;
        PersistAllAsync(batch.Events, _ => { });
        DeferAsync(batch, written =>
        {
            writing = null;
            Perform(written);
            if (LastSequenceNr - lastSnapshotAt >= settings.SnapshotEvery)
            {
                lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(state);
            }
            Process();
        });
    }

    private void Take(Batch batch, IReadOnlyList<ICampaignEvent> events)
    {
        state = CampaignEvolution.ApplyAll(state!, events);
        batch.Events.AddRange(events);
    }

    private void Operator(Batch batch, IActorRef replyTo, Func<IReadOnlyList<ICampaignEvent>> decide)
    {
        try
        {
            Take(batch, decide());
            batch.Views.Add(replyTo);
        }
        catch (FleetRequestException e)
        {
            batch.Replies.Add((replyTo, new Status.Failure(e)));
        }
    }

    /// <summary>What a batch does once it is in the journal: send its steps, resend unanswered ones, reply, report.</summary>
    private void Perform(Batch batch)
    {
        var s = state!;
        var now = settings.Clock();
        var sentNow = new HashSet<string>(StringComparer.Ordinal);
        foreach (var started in batch.Events.OfType<StepStarted>())
        {
            // A later event of the same batch may have ended the host already (an abort).
            var host = CampaignDecisions.Host(s, started.HostId);
            if (host?.PendingKey != started.Key) continue;
            Send(s, host, now);
            sentNow.Add(started.Key);
        }
        if (batch.ResendAll || batch.ResendDue)
        {
            foreach (var host in s.Hosts)
            {
                if (host.PendingKey is not { } key || sentNow.Contains(key)) continue;
                var last = lastSent.TryGetValue(key, out var at) ? at : host.SentAt ?? now;
                if (batch.ResendAll || now - last >= settings.Tuning.ResendInterval) Send(s, host, now);
            }
        }
        if (batch.ResendDue && (lastSent.Count > s.Hosts.Count || refusals.Count > 0))
        {
            var pending = s.Hosts.Select(h => h.PendingKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (string key in lastSent.Keys.Where(k => !pending.Contains(k)).ToList()) lastSent.Remove(key);
            foreach (string key in refusals.Keys.Where(k => !pending.Contains(k)).ToList()) refusals.Remove(key);
        }
        if (batch.Views.Count > 0)
        {
            var view = CampaignProjection.View(s, now);
            foreach (var replyTo in batch.Views) replyTo.Tell(view);
        }
        foreach (var (replyTo, message) in batch.Replies) replyTo.Tell(message);
        if (batch.Events.Count > 0) Context.Parent.Tell(new CampaignProgress(CampaignProjection.Entry(s, number)));
        if (batch.EndedNow)
        {
            log.Info("campaign={0}: ended {1}: {2}{3}", id, s.State, CampaignEvolution.Tally(s), s.Halted is null ? "" : $" ({s.Halted})");
            FleetMetrics.CampaignEnded(s.Plan.Spec.Kind, s.State);
            Finished();
        }
    }

    private void Send(CampaignState s, HostRun host, DateTimeOffset now)
    {
        registry.Tell(new DeliverStep(CampaignSteps.For(s.Plan, host.HostId, host.StepIndex, host.PendingKey!)), Self);
        lastSent[host.PendingKey!] = now;
    }

    /// <summary>The campaign has ended: the coordinator closes it in the index (and starts the automatic rollback, if due).</summary>
    private void Finished()
    {
        var s = state!;
        Timers.Cancel(TickTimer);
        lastSent.Clear();
        refusals.Clear();
        Context.Parent.Tell(new CampaignFinished(CampaignProjection.Entry(s, number), s.Plan.Spec, CampaignDecisions.Targets(s), CampaignDecisions.AutoRollbackHosts(s)));
        Context.SetReceiveTimeout(settings.IdleAfterEnd);
    }

    private void Answer(Func<CampaignState, object> reply)
    {
        Sender.Tell(state is null ? NeverRecorded() : reply(state));
    }

    private Status.Failure NeverRecorded() => new(new FleetRequestException(FleetRequestException.NotFound,
        $"campaign {id} was never recorded (the coordinator stopped while starting it)"));

    // ---------------------------------------------------------------- journal failures

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var error = JournalError(cause, @event, "stopped");
        Context.Parent.Tell(new CampaignStopped(id, error.Message));
        // Not base: it only logs what JournalError has logged; Akka stops the actor either way.
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused the event (it was not stored), so memory and journal differ: stop and recover.
        var error = JournalError(cause, @event, "stops to recover");
        Context.Parent.Tell(new CampaignStopped(id, error.Message));
        Context.Stop(Self);
    }

    private CampaignJournalException JournalError(Exception cause, object @event, string outcome)
    {
        string what = $"the journal could not record {@event.GetType().Name} ({cause.Message}); nothing decided since was sent; the campaign actor {outcome}";
        var error = new CampaignJournalException($"campaign {id}: {what}", cause);
        log.Error(cause, "campaign={0}: {1}", id, what);
        var failure = new Status.Failure(error);
        creation?.ReplyTo.Tell(failure);
        creation = null;
        if (writing is { } batch)
        {
            foreach (var replyTo in batch.Views) replyTo.Tell(failure);
            foreach (var (replyTo, _) in batch.Replies) replyTo.Tell(failure);
        }
        foreach (var (input, replyTo) in inbox)
            if (input is PauseCampaign or ResumeCampaign or AbortCampaign) replyTo.Tell(failure);
        return error;
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        string what = $"its journal could not be read ({reason.Message}); the campaign actor stopped";
        string error = $"campaign {id}: {what}";
        log.Error(reason, "campaign={0}: {1}", id, what);
        Context.Parent.Tell(new CampaignStopped(id, error));
        creation?.ReplyTo.Tell(new Status.Failure(new CampaignJournalException(error, reason)));
        // Not base: it only logs; Akka stops the actor either way.
    }

    /// <summary>The events of one journal write and what to do once they are in.</summary>
    private sealed class Batch
    {
        public List<ICampaignEvent> Events { get; } = [];

        public List<IActorRef> Views { get; } = [];

        public List<(IActorRef To, object Message)> Replies { get; } = [];

        public bool ResendAll { get; set; }

        public bool ResendDue { get; set; }

        public bool EndedNow { get; set; }
    }

    /// <summary>The input queued at recovery: journal it, then resend every unanswered step.</summary>
    private sealed class Recovering
    {
        public static readonly Recovering Instance = new();
    }
}
