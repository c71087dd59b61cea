namespace FleetMerge.Storage.Store;

/// <summary>
/// What a snapshot write does when the COW runs out (the dm table's store type). An origin write
/// that runs out always invalidates the snapshot, whatever the policy.
/// </summary>
public enum OverflowPolicy
{
    /// <summary>"P": the snapshot is invalidated (header valid = 0), as LVM2 2.03 loads it.</summary>
    Invalidate,

    /// <summary>
    /// "PO" (persistent, userspace understands overflow): the exceptions already allocated are
    /// committed, the status becomes "Overflow", later snapshot writes fail, reads still work.
    /// </summary>
    Overflow,
}
