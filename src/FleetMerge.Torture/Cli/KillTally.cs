namespace FleetMerge.Torture.Cli;

/// <summary>Where the kills of a scenario landed, for its tear-down line (shows the kills hit mid-operation).</summary>
public sealed class KillTally
{
    private int before, middle, end, finished;

    public void NothingChanged() => Interlocked.Increment(ref before);

    public void PartlyDone() => Interlocked.Increment(ref middle);

    public void AllDone() => Interlocked.Increment(ref end);

    public void FinishedFirst() => Interlocked.Increment(ref finished);

    public override string ToString() =>
        $"kills before any change {before}, part way {middle}, after the last change {end}; finished before the kill {finished}";
}
