using System.Globalization;
using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Host;

/// <summary>What a reconcile found: the corrective events (already applied to <see cref="State"/>), one log line per finding, and whether the actor must run the merge.</summary>
public sealed record ReconcileResult(IReadOnlyList<IVolumeEvent> Events, IReadOnlyList<string> Findings, VolumeState State, bool RunMerge);

/// <summary>
/// Journal versus disk, as a pure function. The disk (the group's metadata and, for chunk
/// progress, the COW table behind the live merge) is the truth; the journal is brought in line
/// with events that say what was found, so the journal tells the whole story afterwards:
/// <list type="bullet">
/// <item>no journal (or a journal that says removed): the origin is adopted (VolumeCreated);</item>
/// <item>names that differ: VolumeRenamed; snapshots only on disk: SnapshotTaken (adopted);
///   snapshots only in the journal: SnapshotRemoved, or MergeCompleted when their merge had started
///   (the disk finished while the journal only had "started");</item>
/// <item>merge marks only on disk: MergeRequested (adopted); journal requests without a mark:
///   MergeCancelled (the request never reached the group);</item>
/// <item>a pending merge the activation started (onactivate, or requested while inactive):
///   MergeStarted; a stopped, failed or interrupted one the activation resumed: MergeStarted
///   (resumed) or a MergeProgressed checkpoint with the disk's progress; a "running" one that is
///   not running: MergeStopped;</item>
/// <item>activation that differs: ActivationChanged.</item>
/// </list>
/// The same function serves recovery (after replay), activations and a refused change (resync).
/// </summary>
public static class Reconciler
{
    /// <param name="how">For an empty journal: <see cref="VolumeOrigins.Created"/> (the API just made it) or <see cref="VolumeOrigins.Adopted"/>.</param>
    public static ReconcileResult Reconcile(VolumeState journal, DiskView disk, DateTimeOffset now, string how = VolumeOrigins.Adopted)
    {
        var state = journal;
        var events = new List<IVolumeEvent>();
        var findings = new List<string>();
        void Add(IVolumeEvent e)
        {
            events.Add(e);
            state = VolumeStateMachine.Apply(state, e);
        }
        string Name(string lv) => $"{disk.Vg}/{lv}";

        if (disk.Origin is not { } origin)
        {
            if (journal.Exists)
            {
                Add(new VolumeRemoved(journal.Origin, journal.OriginUuid, "not on disk"));
                findings.Add($"journal knows {Name(journal.Origin)}, the group does not: recorded as removed");
            }
            return new ReconcileResult(events, findings, state, false);
        }

        if (!state.Exists)
        {
            if (journal.Removed) findings.Add($"journal says {Name(journal.Origin)} was removed, the disk still has it: adopting it again");
            else if (how == VolumeOrigins.Adopted) findings.Add($"no journal for {Name(origin.Name)}: adopting the disk's state");
            Add(new VolumeCreated(disk.Vg, disk.VgUuid, origin.Name, origin.Uuid, origin.Minor, origin.CowBytes, how));
        }
        else if (state.Origin != origin.Name)
        {
            findings.Add($"journal calls the origin {Name(state.Origin)}, the disk {Name(origin.Name)}: renamed");
            Add(new VolumeRenamed(origin.Uuid, state.Origin, origin.Name));
        }

        if (state.Active != disk.Active)
            Add(new ActivationChanged(disk.Active, disk.Active ? "active on disk" : "inactive on disk"));

        var onDisk = disk.Snapshots.ToDictionary(s => s.Uuid);

        // Snapshots the journal has and the disk does not.
        foreach (var gone in state.Snapshots.Where(s => !onDisk.ContainsKey(s.Uuid)).ToList())
        {
            var merge = state.Merge(gone.Uuid);
            if (merge is not null && VolumeStateMachine.IsStarted(merge.Phase))
            {
                findings.Add($"journal says the merge of {Name(gone.Name)} was {Phase(merge.Phase)} at {Pct(merge.Percent)}, the disk has no {gone.Name}: the merge completed");
                Add(new MergeCompleted(gone.Uuid, gone.Name, merge.InitialExceptions, origin.Name, origin.Uuid, origin.Minor, FoundOnDisk: true, now));
            }
            else
            {
                findings.Add($"journal has snapshot {Name(gone.Name)}, the disk does not: recorded as removed");
                Add(new SnapshotRemoved(gone.Name, gone.Uuid, "not on disk"));
            }
        }
        // Merges still open in the journal whose snapshot the journal had already dropped.
        foreach (var merge in state.Merges.Where(m => !VolumeStateMachine.IsFinished(m.Phase) && !onDisk.ContainsKey(m.SnapshotUuid)).ToList())
        {
            if (VolumeStateMachine.IsStarted(merge.Phase))
            {
                findings.Add($"journal says the merge of {Name(merge.Snapshot)} was {Phase(merge.Phase)} at {Pct(merge.Percent)}, the disk has no {merge.Snapshot}: the merge completed");
                Add(new MergeCompleted(merge.SnapshotUuid, merge.Snapshot, merge.InitialExceptions, origin.Name, origin.Uuid, origin.Minor, FoundOnDisk: true, now));
            }
            else
            {
                findings.Add($"journal has a merge of {Name(merge.Snapshot)} requested, the snapshot is not on disk: cancelled");
                Add(new MergeCancelled(merge.SnapshotUuid, "snapshot not on disk"));
            }
        }

        // Snapshots the disk has: adopt or rename.
        foreach (var d in disk.Snapshots)
        {
            var known = state.Snapshot(d.Uuid);
            if (known is null)
            {
                findings.Add($"the disk has snapshot {Name(d.Name)} the journal lacks: adopted");
                Add(new SnapshotTaken(d.Name, d.Uuid, d.Minor, d.CowBytes, d.ChunkBytes, Adopted: true));
            }
            else if (known.Name != d.Name)
            {
                findings.Add($"journal calls snapshot {Name(d.Name)} {known.Name}: renamed");
                Add(new VolumeRenamed(d.Uuid, known.Name, d.Name));
            }
        }

        // Merge marks.
        bool run = false;
        foreach (var d in disk.Snapshots)
        {
            var merge = state.Merge(d.Uuid);
            if (d.MergeMode is not { } mode)
            {
                if (merge is not null && !VolumeStateMachine.IsFinished(merge.Phase))
                {
                    findings.Add($"journal has a merge of {Name(d.Name)} {Phase(merge.Phase)}, the disk has no merge mark: the request never reached the group");
                    Add(new MergeCancelled(d.Uuid, "no merge mark on disk"));
                }
                continue;
            }
            bool adopted = false;
            if (merge is null || merge.Phase == MergePhase.Complete)
            {
                adopted = true;
                findings.Add($"the disk has a merge of {Name(d.Name)} ({mode}) the journal lacks: adopted");
                Add(new MergeRequested(d.Uuid, d.Name, mode, Adopted: true));
                merge = state.Merge(d.Uuid)!;
            }
            if (!d.MergeStarted)
            {
                if (merge.Phase != MergePhase.Pending || adopted)
                    Add(new MergeMarkedOnActivate(d.Uuid, d.Name, mode, "waits for the next activation"));
                continue;
            }
            if (disk.Merge is { } live && live.SnapshotUuid == d.Uuid)
            {
                switch (live.EngineState)
                {
                    case "started" or "running":
                        if (merge.Phase == MergePhase.Pending)
                        {
                            if (live.EngineState == "started")
                                findings.Add($"the merge of {Name(d.Name)} ({merge.Mode}) starts with this activation at {Pct(live.Percent)}");
                            Add(new MergeStarted(d.Uuid, d.Name, merge.Mode, live.InitialExceptions, live.RemainingExceptions, live.Status, Resumed: live.RemainingExceptions < live.InitialExceptions, now));
                        }
                        else if (merge.Phase is MergePhase.Stopped or MergePhase.Failed)
                        {
                            findings.Add($"journal says the merge of {Name(d.Name)} {Phase(merge.Phase)} at {Pct(merge.Percent)}, disk says {Pct(live.Percent)} done: resuming");
                            Add(new MergeStarted(d.Uuid, d.Name, merge.Mode, live.InitialExceptions, live.RemainingExceptions, live.Status, Resumed: true, now));
                        }
                        else if (live.EngineState == "started")
                        {
                            findings.Add($"journal says the merge of {Name(d.Name)} was running at {Pct(merge.Percent)}, disk says {Pct(live.Percent)} done: resuming");
                            if (live.RemainingExceptions != merge.RemainingExceptions || live.InitialExceptions != merge.InitialExceptions)
                                Add(new MergeProgressed(d.Uuid, live.InitialExceptions, live.RemainingExceptions, live.Status, now));
                        }
                        run |= live.EngineState == "started";
                        break;
                    case "failed":
                        if (merge.Phase != MergePhase.Failed)
                            Add(new MergeFailed(d.Uuid, "merge failed (found on disk)", now));
                        break;
                    case "stopped":
                        if (merge.Phase is MergePhase.Running or MergePhase.Pending)
                            Add(new MergeStopped(d.Uuid, "stopped by a deactivation", now));
                        break;
                }
            }
            else if (merge.Phase is MergePhase.Running or MergePhase.Pending)
            {
                string why = disk.Active ? "the activation did not start it" : "the origin is inactive";
                findings.Add($"journal says the merge of {Name(d.Name)} was {Phase(merge.Phase)} at {Pct(merge.Percent)}, it is not running ({why}): stopped until the next activation");
                Add(new MergeStopped(d.Uuid, why, now));
            }
        }
        return new ReconcileResult(events, findings, state, run);
    }

    private static string Phase(MergePhase phase) => phase switch
    {
        MergePhase.Pending => "pending",
        MergePhase.Running => "running",
        MergePhase.Complete => "complete",
        MergePhase.Failed => "failed",
        MergePhase.Stopped => "stopped",
        _ => phase.ToString(),
    };

    public static string Pct(double percent) => percent.ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
