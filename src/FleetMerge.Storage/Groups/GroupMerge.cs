using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// A merge started in a volume group: the engine merge plus the group's part at the end (remove
/// the snapshot, switch identities, update the metadata). Run it synchronously with
/// <see cref="Run"/> or in the background with <see cref="RunInBackground"/> (the lvmpolld role);
/// <see cref="Completion"/> completes when the merge ends, faults when it fails and is cancelled
/// when a deactivation stops it. A cancelled Run can be run again; a stopped or failed merge
/// resumes at the next activation (with a new GroupMerge).
/// </summary>
public sealed class GroupMerge
{
    private readonly VolumeGroup group;
    private readonly SnapshotMerge engine;
    private readonly Lock runGate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly ManualResetEventSlim idle = new(initialState: true);
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GroupMergeState state = GroupMergeState.Started;

    internal GroupMerge(VolumeGroup group, SnapshotMerge engine, VolumeRecord snapshot, VolumeRecord origin, MergeMark mark)
    {
        this.group = group;
        this.engine = engine;
        SnapshotUuid = snapshot.Uuid;
        OriginUuid = origin.Uuid;
        Snapshot = snapshot.Name;
        Origin = origin.Name;
        Mode = mark.Mode;
    }

    /// <summary>The merging snapshot's name when the merge started.</summary>
    public string Snapshot { get; }

    /// <summary>The origin's name when the merge started.</summary>
    public string Origin { get; }

    public MergeMode Mode { get; }

    internal string SnapshotUuid { get; }
    internal string OriginUuid { get; }

    public GroupMergeState State { get { lock (runGate) return state; } }

    public Task Completion => completion.Task;

    /// <summary>Copy rate limit in bytes per second (null: unlimited).</summary>
    public long? MaxBytesPerSecond
    {
        get => engine.MaxBytesPerSecond;
        set => engine.MaxBytesPerSecond = value;
    }

    /// <summary>Progress counted from the merge's first start, across restarts.</summary>
    /// <summary>Counted from the merge's first start: the engine was started with the count kept in the metadata.</summary>
    public MergeProgress Progress => engine.Progress;

    /// <summary>
    /// Merges until done (true, the snapshot is then removed) or <paramref name="cancel"/> stops it
    /// between groups of batches (false). Throws <see cref="MergeFailedException"/> on an I/O error.
    /// With <paramref name="finishAfter"/>, the snapshot is removed only once that task has
    /// completed (a caller that records the merge's start while the copy already runs: the
    /// record of the start then always comes before the snapshot is gone); cancelled while
    /// waiting for it, the run returns false with the table empty, and a new run finishes.
    /// </summary>
    public bool Run(Action<MergeProgress>? progress = null, CancellationToken cancel = default, Task? finishAfter = null)
    {
        lock (runGate)
        {
            switch (state)
            {
                case GroupMergeState.Completed: return true;
                case GroupMergeState.Running:
                    throw new MergeRuleException($"{Snapshot}: the merge into {Origin} is already running");
                case GroupMergeState.Failed:
                    throw new MergeFailedException($"{Snapshot}: the merge into {Origin} failed; deactivate and activate {Origin} to retry");
                case GroupMergeState.Stopped:
                    throw new VolumeInactiveException($"{Snapshot}: the merge into {Origin} was stopped by a deactivation; activate {Origin} to resume it");
            }
            state = GroupMergeState.Running;
            idle.Reset();
        }
        var outcome = GroupMergeState.Started;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stop.Token);
            bool done = engine.Run(progress, linked.Token) && Awaited(finishAfter, linked.Token);
            if (!done)
            {
                if (stop.IsCancellationRequested) outcome = GroupMergeState.Stopped;
                return false;
            }
            group.FinishMerge(this); // a failure here leaves it Started: a new Run finds the table empty and finishes again
            outcome = GroupMergeState.Completed;
            return true;
        }
        catch (MergeFailedException e)
        {
            outcome = GroupMergeState.Failed;
            completion.TrySetException(e);
            throw;
        }
        finally
        {
            lock (runGate)
            {
                state = outcome;
                idle.Set();
            }
            if (outcome == GroupMergeState.Completed) completion.TrySetResult();
            if (outcome == GroupMergeState.Stopped) completion.TrySetCanceled();
        }
    }

    /// <summary>Runs the merge on a thread of its own; the task's result is <see cref="Run"/>'s.</summary>
    public Task<bool> RunInBackground(Action<MergeProgress>? progress = null, CancellationToken cancel = default, Task? finishAfter = null) =>
        Task.Factory.StartNew(() => Run(progress, cancel, finishAfter), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>True once <paramref name="task"/> (if any) has completed; false if <paramref name="cancel"/> came first.</summary>
    private static bool Awaited(Task? task, CancellationToken cancel)
    {
        if (task is null) return true;
        try { task.Wait(cancel); }
        catch (OperationCanceledException) { return false; }
        return true;
    }

    /// <summary>
    /// Stops the merge for a deactivation: a running copy stops after its current group, and the
    /// call returns once it has. The merge is resumed by the next activation.
    /// </summary>
    internal void Stop()
    {
        lock (runGate)
        {
            if (state == GroupMergeState.Started)
            {
                state = GroupMergeState.Stopped;
                completion.TrySetCanceled();
                return;
            }
            if (state != GroupMergeState.Running) return;
        }
        stop.Cancel();
        idle.Wait();
    }

    internal bool Failed => engine.Snapshot.Store.IsMergeFailed;

}
