using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using FleetMerge.Storage;
using FleetMerge.Storage.Groups;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Host;

/// <summary>How volume actors journal and run merges.</summary>
/// <param name="SnapshotEvery">An Akka snapshot of the state after this many events (bounds recovery).</param>
/// <param name="MergeMaxBytesPerSecond">Copy rate limit for merges (the kernel's snapshot_copy_throttle); null = unlimited.</param>
/// <param name="ProgressInterval">Least time between two progress messages from a running merge to its actor.</param>
public sealed record VolumeActorSettings(int SnapshotEvery, CheckpointPolicy Checkpoints, long? MergeMaxBytesPerSecond, TimeSpan ProgressInterval)
{
    public static VolumeActorSettings Default { get; } = new(50, CheckpointPolicy.Default, null, TimeSpan.FromMilliseconds(100));
}

/// <summary>The actor was started for an origin the API just created: reply to <paramref name="ReplyTo"/> once VolumeCreated is journaled.</summary>
public sealed record VolumeCreation(IActorRef ReplyTo);

/// <summary>Host agent → volume actor: the group's activation changed (vgchange); bring the journal in line and run what the activation started.</summary>
public sealed record SyncWithDisk(string Reason);

/// <summary>Volume actor → host agent: a namesnapshot merge gave the origin another UUID.</summary>
public sealed record FamilyKeyChanged(string VgUuid, string OldOriginUuid, string NewOriginUuid);

/// <summary>Volume actor → host agent: the origin is gone; the actor stops.</summary>
public sealed record FamilyRemoved(string VgUuid, string OriginUuid);

/// <summary>Tests and diagnostics: what the actor knows and how it recovered.</summary>
public sealed record GetVolumeView
{
    public static readonly GetVolumeView Instance = new();
}

public sealed record VolumeView(
    string PersistenceId, VolumeState State, long LastSequenceNr, long? RecoveredFromSnapshotAt, int ReplayedEvents,
    IReadOnlyList<string> RecoveryFindings, bool MergeRunning);

/// <summary>Progress of a running merge, sent by its background thread (throttled).</summary>
internal sealed record MergeProgressReport(string SnapshotUuid, MergeProgress Progress);

/// <summary>A background merge run ended: completed, stopped or cancelled (false), or failed.</summary>
internal sealed record MergeRunEnded(string SnapshotUuid, GroupMerge Merge, bool Completed, Exception? Error);

/// <summary>
/// One origin volume and its snapshots (a family): owns their control operations by calling the
/// <see cref="VolumeGroup"/>, journals intents and milestones, runs merges in the background and
/// keeps the latest merge state. Block I/O never comes here (the API opens sessions directly).
/// <para>
/// Journal order. An irreversible change is journaled before it is made (merge request, removal):
/// if the journal fails, nothing happens. A change that can be undone is made first, then journaled
/// (snapshot and origin creation — the UUID comes from the group —, rename): if the journal fails,
/// the change is undone. Either way a failed write stops the actor with a
/// <see cref="VolumeJournalException"/> for the caller. A refusal after a journaled intent (a race
/// past the pre-check) and every activation re-read the disk through <see cref="Reconciler"/>.
/// </para>
/// <para>
/// Decisions are pure functions: <see cref="VolumeStateMachine"/> (event → state),
/// <see cref="CheckpointPolicy"/>, <see cref="Reconciler"/>, <see cref="Views"/>. This class only
/// persists, replies and sends.
/// </para>
/// </summary>
public sealed class VolumeActor : ReceivePersistentActor
{
    private readonly VolumeGroup group;
    private readonly string key;
    private readonly VolumeActorSettings settings;
    private readonly string? hostId;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private VolumeCreation? creation;

    private VolumeState state = VolumeState.Empty;
    private long lastSnapshotAt;
    private long? recoveredFromSnapshotAt;
    private int replayed;
    private IReadOnlyList<string> recoveryFindings = [];

    private GroupMerge? running;
    private string? runningSnapshot;
    private CancellationTokenSource? runCancel;
    private Checkpoint? checkpoint;
    private TaskCompletionSource? startRecorded; // the run's finish waits for its MergeStarted write

    // The write in flight, for OnPersistFailure / OnPersistRejected.
    private string? writing;
    private bool writingIntent;
    private Action? undo;
    private IActorRef? writeReplyTo;

    public VolumeActor(VolumeGroup group, string originUuid, VolumeActorSettings settings, VolumeCreation? creation, string? hostId = null)
    {
        this.group = group;
        this.hostId = hostId;
        key = originUuid;
        this.settings = settings;
        this.creation = creation;
        PersistenceId = PersistenceIdFor(group.Uuid, originUuid);

        Recover<SnapshotOffer>(offer =>
        {
            state = (VolumeState)offer.Snapshot;
            recoveredFromSnapshotAt = offer.Metadata.SequenceNr;
            lastSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<IVolumeEvent>(e =>
        {
            state = VolumeStateMachine.Apply(state, e);
            replayed++;
        });
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<CreateSnapshot>(c => Handle(() => OnCreateSnapshot(c)));
        Command<RenameLv>(c => Handle(() => OnRename(c)));
        Command<RemoveLv>(c => Handle(() => OnRemove(c)));
        Command<ActivateLv>(c => Handle(() => OnActivate(c.Lv, activate: true)));
        Command<DeactivateLv>(c => Handle(() => OnActivate(c.Lv, activate: false)));
        Command<RequestMerge>(c => Handle(() => OnRequestMerge(c)));
        Command<GetMergeState>(c => Sender.Tell(new MergeStateReply(state.MergeByName(c.Lv) is { } m ? Views.Merge(state.Vg, m) : null)));
        Command<SyncWithDisk>(c => Handle(() =>
        {
            var replyTo = Sender;
            Resync(c.Reason, () =>
            {
                if (!replyTo.Equals(Context.System.DeadLetters)) replyTo.Tell(Akka.Done.Instance);
            });
        }));
        Command<MergeProgressReport>(OnProgress);
        Command<MergeRunEnded>(OnRunEnded);
        Command<GetVolumeView>(_ => Sender.Tell(new VolumeView(PersistenceId, state, LastSequenceNr, recoveredFromSnapshotAt, replayed, recoveryFindings, running is not null)));
        Command<SaveSnapshotSuccess>(s => log.Debug("{0}: Akka snapshot saved at seq {1}", Ids, s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => log.Warning("{0}: Akka snapshot at seq {1} failed: {2} (recovery replays more events)", Ids, f.Metadata.SequenceNr, f.Cause.Message));
    }

    public override string PersistenceId { get; }

    public static string PersistenceIdFor(string vgUuid, string originUuid) => $"volume-{vgUuid}-{originUuid}";

    /// <param name="hostId">The host the volume belongs to, for the log lines; null leaves host= out.</param>
    public static Props Props(VolumeGroup group, string originUuid, VolumeActorSettings settings, VolumeCreation? creation = null, string? hostId = null) =>
        Akka.Actor.Props.Create(() => new VolumeActor(group, originUuid, settings, creation, hostId));

    private string OriginUuid => state.Exists ? state.OriginUuid : key;

    private string Display => $"{group.Name}/{(state.Exists ? state.Origin : key)}";

    /// <summary>The ids every log line of this actor starts with: "host=sim-0003 vg=vg0 lv=root" (lv is the family's origin).</summary>
    private string Ids => $"{(hostId is null ? "" : $"host={hostId} ")}vg={group.Name} lv={(state.Exists ? state.Origin : key)}";

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    // ---------------------------------------------------------------- recovery

    private void Recovered()
    {
        string from = recoveredFromSnapshotAt is { } at ? $"Akka snapshot at seq {at} + {replayed} events" : $"{replayed} events";
        var how = creation is null ? VolumeOrigins.Adopted : VolumeOrigins.Created;
        var disk = DiskView.Read(group, OriginUuid);
        var result = Reconciler.Reconcile(state, disk, Now, how);
        recoveryFindings = result.Findings;
        if (creation is null)
        {
            if (result.Findings.Count == 0)
                log.Info("{0}: recovered from the journal ({1}); journal and disk agree", Ids, from);
            foreach (string finding in result.Findings)
                log.Info("{0}: recovered from the journal ({1}); {2}", Ids, from, finding);
        }
        var created = creation;
        creation = null;
        string originName = disk.Origin?.Name ?? "";
        Action? undoCreate = created is null ? null : () => group.Remove(originName);
        Record(result.Events, created is null ? "the reconcile after recovery" : $"the creation of {group.Name}/{originName}", intent: false, undoCreate, created?.ReplyTo, () =>
        {
            AfterReconcile(disk, result);
            if (created is not null)
            {
                log.Info("{0}: created ({1} bytes)", Ids, state.OriginSizeBytes);
                created.ReplyTo.Tell(Views.Row(group.Report(state.Origin)));
            }
        });
    }

    /// <summary>Re-reads the disk, journals what differs, runs what the activation started.</summary>
    private void Resync(string reason, Action after)
    {
        var disk = DiskView.Read(group, OriginUuid);
        var result = Reconciler.Reconcile(state, disk, Now);
        foreach (string finding in result.Findings) log.Info("{0}: {1}: {2}", Ids, reason, finding);
        Record(result.Events, $"the reconcile after {reason}", intent: false, undo: null, Sender, () =>
        {
            AfterReconcile(disk, result);
            after();
        });
    }

    private void AfterReconcile(DiskView disk, ReconcileResult result)
    {
        if (disk.Origin is null)
        {
            Context.Parent.Tell(new FamilyRemoved(group.Uuid, key));
            Context.Stop(Self);
            return;
        }
        if (result.RunMerge && running is null && disk.Merge is { } live && group.MergeOf(state.Origin) is { State: GroupMergeState.Started } merge)
            Run(merge, live.SnapshotUuid);
    }

    // ---------------------------------------------------------------- commands

    private void OnCreateSnapshot(CreateSnapshot c)
    {
        CheckFamily(c.Lv);
        group.CreateSnapshot(c.Lv, c.Name, c.SizeBytes, c.ChunkBytes);
        var snapshot = group.Metadata.Find(c.Name)!;
        var replyTo = Sender;
        Record([new SnapshotTaken(snapshot.Name, snapshot.Uuid, snapshot.Minor, snapshot.SizeBytes, snapshot.ChunkBytes ?? c.ChunkBytes, Adopted: false)],
            $"snapshot {group.Name}/{c.Name}", intent: false, () => group.Remove(c.Name), replyTo, () =>
            {
                log.Info("{0} snapshot={1}: snapshot taken ({2} bytes of COW, chunk {3})", Ids, c.Name, c.SizeBytes, c.ChunkBytes);
                replyTo.Tell(Views.Row(group.Report(c.Name)));
            });
    }

    private void OnRename(RenameLv c)
    {
        var volume = CheckFamily(c.Lv);
        var replyTo = Sender;
        group.Rename(c.Lv, c.NewName);
        if (c.Lv == c.NewName)
        {
            replyTo.Tell(Views.Row(group.Report(c.NewName)));
            return;
        }
        Record([new VolumeRenamed(volume.Uuid, c.Lv, c.NewName)], $"the rename of {group.Name}/{c.Lv} to {c.NewName}", intent: false,
            () => group.Rename(c.NewName, c.Lv), replyTo, () =>
            {
                log.Info("{0}: {1} renamed to {2}", Ids, c.Lv, c.NewName);
                replyTo.Tell(Views.Row(group.Report(c.NewName)));
            });
    }

    private void OnRemove(RemoveLv c)
    {
        var volume = CheckFamily(c.Lv);
        var metadata = group.Metadata;
        string display = $"{group.Name}/{c.Lv}";
        bool invalid = volume.Kind == VolumeKind.Snapshot && group.Report(c.Lv).Attr[4] == 'I';
        // The group checks again under its lock; checking first keeps refusals out of the journal.
        VolumeRules.CheckRemove(display, volume.Kind, group.OpenCount(c.Lv),
            [.. metadata.SnapshotsOf(volume.Uuid).Select(s => $"{group.Name}/{s.Name}")], volume.Merge, invalid);
        var replyTo = Sender;
        IVolumeEvent intent = volume.Kind == VolumeKind.Snapshot
            ? new SnapshotRemoved(volume.Name, volume.Uuid, "removed")
            : new VolumeRemoved(volume.Name, volume.Uuid, "removed");
        Record([intent], $"the removal of {display}", intent: true, undo: null, replyTo, () =>
        {
            try { group.Remove(c.Lv); }
            catch (StorageException e)
            {
                Resync($"the refused removal of {display}", () => replyTo.Tell(new Status.Failure(e)));
                return;
            }
            log.Info("{0}: {1} removed", Ids, display);
            replyTo.Tell(new LvRemoved(group.Name, c.Lv));
            if (volume.Kind == VolumeKind.Origin)
            {
                Context.Parent.Tell(new FamilyRemoved(group.Uuid, key));
                Context.Stop(Self);
            }
        });
    }

    private void OnActivate(string lv, bool activate)
    {
        CheckFamily(lv);
        var replyTo = Sender;
        if (activate)
        {
            var result = group.Activate(lv);
            foreach (string note in result.Notes) log.Warning("{0}: activation: {1}", Ids, note);
        }
        else group.Deactivate(lv);
        Resync(activate ? "activation" : "deactivation", () => replyTo.Tell(Views.Row(group.Report(CurrentName(lv)))));
    }

    private void OnRequestMerge(RequestMerge c)
    {
        var mode = MergeModes.Parse(c.Mode);
        var volume = CheckFamily(c.Lv);
        string display = $"{group.Name}/{c.Lv}";
        if (volume.Kind != VolumeKind.Snapshot)
            throw new MergeRuleException($"{display} is not a snapshot; only a snapshot merges into its origin");
        // The merge rules with the group's facts, before anything is journaled; the group checks again under its lock.
        var metadata = group.Metadata;
        var origin = metadata.OriginOf(volume);
        bool active = group.IsActive(origin.Name);
        var merging = metadata.MergingSnapshotOf(origin.Uuid);
        MergeRules.Check(new MergeCandidate(
            display, $"{group.Name}/{origin.Name}", mode,
            SnapshotValid: !active || group.Report(c.Lv).Attr[4] != 'I',
            OriginActive: active,
            OriginOpenCount: group.OpenCount(origin.Name),
            SnapshotOpenCount: group.OpenCount(c.Lv),
            SnapshotsOfOrigin: metadata.SnapshotsOf(origin.Uuid).Count(),
            MergingSnapshot: merging is null ? null : $"{group.Name}/{merging.Name}"));

        var replyTo = Sender;
        Record([new MergeRequested(volume.Uuid, volume.Name, mode.Name(), Adopted: false)], $"the merge request for {display}", intent: true, undo: null, replyTo, () =>
        {
            GroupMerge? started;
            try { started = group.Merge(c.Lv, mode); }
            catch (StorageException e)
            {
                Resync($"the refused merge of {display}", () => replyTo.Tell(new Status.Failure(e)));
                return;
            }
            if (started is null)
            {
                string reason = mode == MergeMode.OnActivate ? "onactivate: merges at the next activation" : "the origin is inactive: merges at its next activation";
                Record([new MergeMarkedOnActivate(volume.Uuid, volume.Name, mode.Name(), reason)], $"the merge mark of {display}", intent: false, undo: null, replyTo, () =>
                {
                    log.Info("{0} snapshot={1}: merge requested ({2}); {3}", Ids, c.Lv, mode.Name(), reason);
                    replyTo.Tell(Views.Merge(group.Name, state.Merge(volume.Uuid)!));
                });
                return;
            }
            StartRun(started, volume.Uuid, resumed: false, replyTo, () => replyTo.Tell(Views.Merge(group.Name, state.Merge(volume.Uuid)!)));
        });
    }

    // ---------------------------------------------------------------- merges

    /// <summary>
    /// Journals MergeStarted while the copy already runs: the group has recorded the start on disk
    /// (the durability point a crash resumes from), and the journal write would otherwise delay
    /// every merge by one more flush. The run's progress and end reach this actor only after the
    /// write (persisting stashes them), and the group removes the snapshot only after it
    /// (finishAfter), so the journal's order is the same as if the copy had waited.
    /// </summary>
    private void StartRun(GroupMerge merge, string snapshotUuid, bool resumed, IActorRef? replyTo, Action after)
    {
        var progress = merge.Progress;
        var entry = state.Merge(snapshotUuid);
        var journaled = startRecorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new MergeStarted(snapshotUuid, merge.Snapshot, entry?.Mode ?? merge.Mode.Name(), progress.InitialExceptions, progress.RemainingExceptions, progress.Status, resumed, Now);
        bool runs = Run(merge, snapshotUuid, journaled.Task);
        Record([started], $"the start of the merge of {group.Name}/{merge.Snapshot}", intent: false, undo: null, replyTo, () =>
            {
                journaled.TrySetResult();
                startRecorded = null;
                if (runs) ResetCheckpoint(snapshotUuid);
                log.Info("{0} snapshot={1}: merge into {2} started ({3} exceptions)", Ids, merge.Snapshot, merge.Origin, progress.RemainingExceptions);
                after();
            });
    }

    /// <summary>Runs <paramref name="merge"/> in the background unless a run is on already (false).</summary>
    private bool Run(GroupMerge merge, string snapshotUuid, Task? finishAfter = null)
    {
        if (running is not null) return false;
        running = merge;
        runningSnapshot = snapshotUuid;
        runCancel = new CancellationTokenSource();
        ResetCheckpoint(snapshotUuid);
        if (settings.MergeMaxBytesPerSecond is { } rate) merge.MaxBytesPerSecond = rate;
        var self = Self;
        long interval = (long)(settings.ProgressInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        long last = 0;
        merge.RunInBackground(p =>
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                if (now - last < interval && p.RemainingExceptions > 0) return;
                last = now;
                self.Tell(new MergeProgressReport(snapshotUuid, p));
            }, runCancel.Token, finishAfter)
            .ContinueWith(t => new MergeRunEnded(snapshotUuid, merge, t.Status == TaskStatus.RanToCompletion && t.Result, t.Exception?.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .PipeTo(self);
        return true;
    }

    /// <summary>The journal's last word on the merge is the checkpoint the next one is measured from.</summary>
    private void ResetCheckpoint(string snapshotUuid)
    {
        var entry = state.Merge(snapshotUuid);
        checkpoint = entry is null ? null : new Checkpoint(entry.Percent, entry.RemainingExceptions, Now);
    }

    private void OnProgress(MergeProgressReport report)
    {
        if (report.SnapshotUuid != runningSnapshot) return;
        var entry = state.Merge(report.SnapshotUuid);
        if (entry is null || entry.Phase == MergePhase.Complete) return;
        var p = report.Progress;
        var now = Now;
        var progressed = new MergeProgressed(report.SnapshotUuid, p.InitialExceptions, p.RemainingExceptions, p.Status, now);
        if (settings.Checkpoints.IsDue(checkpoint, p.Percent, p.RemainingExceptions, now))
        {
            checkpoint = new Checkpoint(p.Percent, p.RemainingExceptions, now);
            Record([progressed], $"a progress checkpoint of the merge of {group.Name}/{entry.Snapshot}", intent: false, undo: null, null, () => { });
        }
        else state = VolumeStateMachine.Apply(state, progressed); // memory only: the COW table has it anyway
    }

    private void OnRunEnded(MergeRunEnded ended)
    {
        if (!ReferenceEquals(running, ended.Merge))
        {
            // A run this actor cancelled before a restart: carry on with it.
            if (running is null && ended.Merge.State == GroupMergeState.Started && state.Merge(ended.SnapshotUuid) is { Phase: MergePhase.Running })
                Run(ended.Merge, ended.SnapshotUuid);
            return;
        }
        running = null;
        runningSnapshot = null;
        runCancel?.Dispose();
        runCancel = null;
        var entry = state.Merge(ended.SnapshotUuid);
        string name = entry?.Snapshot ?? ended.Merge.Snapshot;
        if (ended.Completed)
        {
            if (entry is { Phase: MergePhase.Complete }) return; // a reconcile saw it first
            var metadata = group.Metadata;
            var survivor = ended.Merge.Mode.ResultTakesSnapshotIdentity()
                ? metadata.FindUuid(ended.SnapshotUuid)
                : metadata.FindUuid(state.OriginUuid);
            survivor ??= metadata.FindUuid(state.OriginUuid) ?? metadata.Find(ended.Merge.Origin);
            string oldKey = state.OriginUuid;
            long initial = Math.Max(entry?.InitialExceptions ?? 0, ended.Merge.Progress.InitialExceptions);
            Record([new MergeCompleted(ended.SnapshotUuid, name, initial, survivor?.Name ?? state.Origin, survivor?.Uuid ?? state.OriginUuid, survivor?.Minor ?? state.OriginMinor, FoundOnDisk: false, Now)],
                $"the completion of the merge of {group.Name}/{name}", intent: false, undo: null, null, () =>
                {
                    log.Info("{0} snapshot={1}: merge complete ({2} exceptions); the snapshot is removed", Ids, name, initial);
                    if (state.OriginUuid != oldKey) Context.Parent.Tell(new FamilyKeyChanged(group.Uuid, oldKey, state.OriginUuid));
                });
        }
        else if (ended.Error is not null)
        {
            log.Error("{0} snapshot={1}: merge failed: {2}", Ids, name, ended.Error.Message);
            Record([new MergeFailed(ended.SnapshotUuid, ended.Error.Message, Now)], $"the failure of the merge of {group.Name}/{name}", intent: false, undo: null, null, () => { });
        }
        else
        {
            // Stopped by a deactivation (or cancelled): the disk says whether it is over for now or
            // whether an activation in the meantime has started it again.
            if (entry is { Phase: MergePhase.Running })
                log.Info("{0} snapshot={1}: the merge run ended at {2}", Ids, name, Reconciler.Pct(entry.Percent));
            Resync("the end of a merge run", () => { });
        }
    }

    // ---------------------------------------------------------------- journal

    /// <summary>
    /// Persists <paramref name="events"/> (applying each to the state), then runs <paramref name="after"/>.
    /// <paramref name="intent"/>: the change is made after the write (a failed write changes nothing);
    /// otherwise it was made before and <paramref name="undo"/> takes it back if the write fails.
    /// </summary>
    private void Record(IReadOnlyList<IVolumeEvent> events, string what, bool intent, Action? undo, IActorRef? replyTo, Action after)
    {
        if (events.Count == 0)
        {
            after();
            return;
        }
        writing = what;
        writingIntent = intent;
        this.undo = undo;
        writeReplyTo = replyTo;
        int left = events.Count;
        PersistAll(events, e =>
        {
            state = VolumeStateMachine.Apply(state, e);
            if (--left > 0) return;
            writing = null;
            this.undo = null;
            writeReplyTo = null;
            if (LastSequenceNr - lastSnapshotAt >= settings.SnapshotEvery)
            {
                lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(state);
            }
            after();
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var error = JournalError(cause, stopped: true);
        log.Error(cause, "{0}: {1}", Ids, error.Message);
        writeReplyTo?.Tell(new Status.Failure(error));
        writeReplyTo = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // A start the journal refuses will never be recorded: the run need not wait for it.
        startRecorded?.TrySetResult();
        startRecorded = null;
        var error = JournalError(cause, stopped: false);
        log.Error(cause, "{0}: {1}", Ids, error.Message);
        writeReplyTo?.Tell(new Status.Failure(error));
        writeReplyTo = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private VolumeJournalException JournalError(Exception cause, bool stopped)
    {
        string outcome;
        if (writingIntent) outcome = "nothing was changed";
        else if (undo is { } takeBack)
        {
            try
            {
                takeBack();
                outcome = "the change was undone";
            }
            catch (Exception e)
            {
                outcome = $"undoing the change failed ({e.Message}); the next start reconciles the journal with the disk";
            }
        }
        else outcome = "the disk has the change; the next start reconciles the journal with the disk";
        undo = null;
        string action = stopped ? "; the volume actor stopped" : "";
        return new VolumeJournalException($"{Display}: the journal could not record {writing ?? "an event"} ({cause.Message}); {outcome}{action}", cause);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        // Akka stops the actor. A volume the API has just created is taken back, so a journal
        // that cannot even be read leaves no volume it never recorded.
        if (creation is { } created)
        {
            creation = null;
            string outcome = "the new volume was removed again";
            string? name = group.Metadata.FindUuid(key)?.Name;
            try { if (name is not null) group.Remove(name); }
            catch (Exception e) { outcome = $"removing the new volume failed ({e.Message})"; }
            created.ReplyTo.Tell(new Status.Failure(new VolumeJournalException(
                $"{group.Name}/{name ?? key}: the journal could not be read ({reason.Message}); {outcome}; the volume actor stopped", reason)));
        }
        base.OnRecoveryFailure(reason, message);
    }

    protected override void PostStop()
    {
        // A merge without its actor would run unjournaled: stop it after its current group; the
        // next incarnation (or the next start) resumes it from the COW table.
        runCancel?.Cancel();
        base.PostStop();
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Runs a command; the engine's refusals (and anything else) go back to the sender as Status.Failure.</summary>
    private void Handle(Action command)
    {
        try { command(); }
        catch (Exception e)
        {
            if (e is not (StorageException or ArgumentException)) log.Error(e, "{0}: {1}", Ids, e.Message);
            Sender.Tell(new Status.Failure(e));
        }
    }

    /// <summary>The volume, which must belong to this family (the host agent routed by name; a rename may have raced).</summary>
    private VolumeRecord CheckFamily(string lv)
    {
        var metadata = group.Metadata;
        var volume = metadata.Find(lv) ?? throw new VolumeNotFoundException($"{group.Name}/{lv}: no such volume");
        if (metadata.OriginOf(volume).Uuid != OriginUuid)
            throw new VolumeNotFoundException($"{group.Name}/{lv}: no such volume in the family of {Display}");
        return volume;
    }

    /// <summary>The name now of the volume that was called <paramref name="lv"/> (a namesnapshot merge may have renamed the origin).</summary>
    private string CurrentName(string lv) => group.Metadata.Find(lv) is not null ? lv : state.Origin;
}
