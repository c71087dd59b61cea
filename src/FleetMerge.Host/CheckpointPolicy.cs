namespace FleetMerge.Host;

/// <summary>The last progress checkpoint the journal holds for a running merge.</summary>
public sealed record Checkpoint(double Percent, long RemainingExceptions, DateTimeOffset At);

/// <summary>
/// When a running merge's progress is worth a journal event: once it has moved by at least
/// <see cref="PercentStep"/> percentage points since the last checkpoint, or has moved at all and
/// <see cref="Interval"/> has passed. So at most about 100 checkpoints per merge plus one per
/// interval on a slow one, never one per chunk. The COW table is the truth; checkpoints only
/// make the journal tell a useful story (and the reconcile log a useful line).
/// </summary>
public sealed record CheckpointPolicy(double PercentStep, TimeSpan Interval)
{
    public static CheckpointPolicy Default { get; } = new(1.0, TimeSpan.FromSeconds(5));

    public bool IsDue(Checkpoint? last, double percent, long remainingExceptions, DateTimeOffset now)
    {
        if (last is null) return true;
        if (remainingExceptions == last.RemainingExceptions) return false;
        return percent - last.Percent >= PercentStep || now - last.At >= Interval;
    }
}
