namespace FleetMerge.Storage.Volumes;

/// <summary>How far a merge has got: exceptions at the start and still in the table, and the kernel's status line.</summary>
public sealed record MergeProgress(long InitialExceptions, long RemainingExceptions, string Status)
{
    public long MergedExceptions => InitialExceptions - RemainingExceptions;

    public double Percent => InitialExceptions == 0 ? 100.0 : 100.0 * MergedExceptions / InitialExceptions;
}
