namespace FleetMerge.Protocol.Host;

/// <summary>
/// What the API (or a later coordinator) asks the host agent. Replies are the records below, or
/// <c>Status.Failure</c> with the engine's exception (the API maps it to 400/404/409). Commands
/// for one volume family implement <see cref="IVolumeCommand"/> and are forwarded to its volume actor.
/// </summary>
public interface IHostCommand;

/// <summary>A command about volume <see cref="Lv"/> of group <see cref="Vg"/>; the host agent forwards it to the actor of the volume's origin.</summary>
public interface IVolumeCommand : IHostCommand
{
    string Vg { get; }
    string Lv { get; }
}

public sealed record ListVgs : IHostCommand
{
    public static readonly ListVgs Instance = new();
}

public sealed record CreateVg(string Name) : IHostCommand;

public sealed record ActivateVg(string Vg) : IHostCommand;

public sealed record DeactivateVg(string Vg) : IHostCommand;

/// <summary>Creates an origin (a plain volume until it gets snapshots).</summary>
public sealed record CreateLv(string Vg, string Name, long SizeBytes) : IHostCommand;

public sealed record CreateSnapshot(string Vg, string Lv, string Name, long SizeBytes, int ChunkBytes) : IVolumeCommand;

public sealed record RemoveLv(string Vg, string Lv) : IVolumeCommand;

public sealed record RenameLv(string Vg, string Lv, string NewName) : IVolumeCommand;

public sealed record ActivateLv(string Vg, string Lv) : IVolumeCommand;

public sealed record DeactivateLv(string Vg, string Lv) : IVolumeCommand;

/// <summary>lvconvert --merge: <see cref="Mode"/> is nameorigin, namesnapshot or onactivate.</summary>
public sealed record RequestMerge(string Vg, string Lv, string Mode) : IVolumeCommand;

/// <summary>The latest merge of snapshot <see cref="Lv"/> (also after it completed and the snapshot is gone).</summary>
public sealed record GetMergeState(string Vg, string Lv) : IVolumeCommand;

// ---- replies ----

public sealed record VgInfo(string Name, string Uuid, int Volumes, int ActiveVolumes);

public sealed record VgList(IReadOnlyList<VgInfo> Vgs);

public sealed record VgActivated(IReadOnlyList<string> StartedMerges, IReadOnlyList<string> Notes);

public sealed record VgDeactivated
{
    public static readonly VgDeactivated Instance = new();
}

public sealed record LvRemoved(string Vg, string Lv);

/// <summary>One row of `lvs` (the API's LvRow): sizes in bytes, percentages rounded to 2 decimals.</summary>
public sealed record LvRow(
    string Name,
    string Vg,
    string Attr,
    long SizeBytes,
    string? Origin,
    double? DataPercent,
    double? MergePercent,
    string Uuid,
    int Minor);

/// <summary>
/// A merge as the API shows it. <see cref="State"/>: pending, running, complete, failed, stopped.
/// <see cref="Status"/> is the kernel's status line of the merging snapshot (allocated/total metadata), when known.
/// </summary>
public sealed record MergeState(
    string Vg,
    string Snapshot,
    string Origin,
    string Mode,
    string State,
    double Percent,
    long MergedExceptions,
    long InitialExceptions,
    string Status,
    bool SnapshotRemoved,
    string? Error)
{
    /// <summary>complete, failed and stopped end a progress stream (a failed or stopped merge resumes only at the next activation).</summary>
    public static bool IsTerminal(MergeState merge) => merge.State is "complete" or "failed" or "stopped";
}

/// <summary>Reply to <see cref="GetMergeState"/>: null when no merge of that snapshot is known.</summary>
public sealed record MergeStateReply(MergeState? Merge);
