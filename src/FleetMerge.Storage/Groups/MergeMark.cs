namespace FleetMerge.Storage.Groups;

/// <summary>
/// The persisted merge state of a snapshot. Its presence is LVM's merging_store bit: a merge was
/// requested, with its <see cref="Mode"/>. <see cref="Started"/> false is a request waiting for
/// the next activation (the onactivate mark, or any merge requested while the origin was
/// inactive); true means the merge has begun on the device, so the origin's data is part merged
/// and every activation must resume it before anyone reads the origin.
/// </summary>
/// <param name="InitialExceptions">Exceptions in the table when the merge first started, so
/// Merge% keeps counting across restarts (the table only knows what is left).</param>
public sealed record MergeMark(MergeMode Mode, bool Started, long? InitialExceptions = null);
