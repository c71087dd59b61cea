namespace FleetMerge.Storage.Groups;

public enum GroupMergeState
{
    /// <summary>The origin is a merge target (its I/O sees the snapshot); no copy is running.</summary>
    Started,

    /// <summary>A Run is copying.</summary>
    Running,

    /// <summary>The merge ended and the snapshot is gone.</summary>
    Completed,

    /// <summary>An I/O error stopped it ("Merge failed"); the next activation retries it.</summary>
    Failed,

    /// <summary>Deactivation stopped it; the next activation resumes it from the COW table.</summary>
    Stopped,
}
