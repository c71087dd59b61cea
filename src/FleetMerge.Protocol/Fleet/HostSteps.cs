namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// One step of a campaign on one host, sent by the campaign to the host's agent, answered by
/// <see cref="HostStepResult"/> to the Sender. <see cref="Key"/> is the idempotency key
/// (campaign/host/step/attempt): a host that already finished a step with that key answers with the
/// recorded result and does nothing again; one that is still running it answers when it ends. So a
/// campaign that resumes after a coordinator crash or failover resends every step it has no result
/// for, and each host's outcome is recorded exactly once.
/// </summary>
/// <param name="Kind">One of <see cref="StepKinds"/>.</param>
/// <param name="Volumes">The origins the step is about, as "VG/LV".</param>
/// <param name="SnapshotTag">
/// The campaign's snapshot name suffix: the snapshot of origin LV is <c>LV + "-" + SnapshotTag</c>
/// (see <see cref="SnapshotNames"/>). For remove-snapshot steps of a policy prune, <see cref="Snapshots"/> lists names instead.
/// </param>
/// <param name="Size">COW size of a snapshot step: bytes with a unit ("200M", "1G") or a percentage of the origin ("20%").</param>
/// <param name="ChunkBytes">Chunk size of a snapshot step (power of two, 4 KiB .. 512 KiB).</param>
/// <param name="Hook">For <see cref="StepKinds.Hook"/>: the hook's name (upgrade, health). Hooks are looked up in the host's own configuration; a step never carries a command line.</param>
/// <param name="Snapshots">For <see cref="StepKinds.RemoveSnapshot"/> by name: "VG/LV" of the snapshots to remove.</param>
/// <param name="Timeout">How long the host may take; past it the host answers failed ("timed out") and the campaign counts a failure.</param>
public sealed record HostStep(
    string Key,
    string CampaignId,
    string HostId,
    string Kind,
    IReadOnlyList<string> Volumes,
    string? SnapshotTag,
    string? Size,
    int ChunkBytes,
    string? Hook,
    IReadOnlyList<string> Snapshots,
    TimeSpan Timeout) : IWireMessage;

/// <summary>The outcome of a <see cref="HostStep"/>: <see cref="Ok"/> or not, with a one-line <see cref="Detail"/>.</summary>
/// <param name="Replayed">True when the host answered from its record of an earlier run of the same key.</param>
public sealed record HostStepResult(string Key, string HostId, bool Ok, string Detail, bool Replayed, DateTimeOffset At) : IWireMessage;

/// <summary>Sent by a host that does not know the step's host id (wrong agent) or cannot take steps now.</summary>
public sealed record HostStepRefused(string Key, string HostId, string Reason) : IWireMessage;

/// <summary>The kinds of <see cref="HostStep"/>.</summary>
public static class StepKinds
{
    /// <summary>Every volume exists, is an active origin, is not merging, and the COW of the requested size fits in the free space.</summary>
    public const string Preflight = "preflight";
    /// <summary>Take the campaign's snapshot of every volume (an existing snapshot with the campaign's name counts as done).</summary>
    public const string Snapshot = "snapshot";
    /// <summary>Run the named hook (upgrade, health) from the host's configuration; ok when it exits 0.</summary>
    public const string Hook = "hook";
    /// <summary>lvconvert --merge --onactivate of the campaign's snapshot of every volume (already marked or merged counts as done).</summary>
    public const string MarkMerge = "mark-merge";
    /// <summary>Run the reboot hook; ok when the host is back (a new incarnation of its agent has activated its groups).</summary>
    public const string Reboot = "reboot";
    /// <summary>Wait until the merge of the campaign's snapshot of every volume has completed (the snapshot is gone).</summary>
    public const string AwaitMerge = "await-merge";
    /// <summary>Remove the campaign's snapshot of every volume (gone already counts as done), or the snapshots named in Snapshots.</summary>
    public const string RemoveSnapshot = "remove-snapshot";

    public static readonly IReadOnlyList<string> All = [Preflight, Snapshot, Hook, MarkMerge, Reboot, AwaitMerge, RemoveSnapshot];
}

/// <summary>Names of the snapshots campaigns take.</summary>
public static class SnapshotNames
{
    /// <summary>The snapshot of origin <paramref name="origin"/> taken by the campaign (or policy run) tagged <paramref name="tag"/>.</summary>
    public static string For(string origin, string tag) => $"{origin}-{tag}";
}
