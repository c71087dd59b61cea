namespace FleetMerge.Torture.Cli;

/// <summary>Where the kills of a scenario landed, for its tear-down line (shows the kills hit mid-operation).</summary>
/// <param name="unchanged">What a kill that changed nothing visible left (e.g. "the range untouched").</param>
public sealed class KillTally(string unchanged, string partly, string all)
{
    private int before, middle, end, finished;

    public void NothingChanged() => Interlocked.Increment(ref before);

    public void PartlyDone() => Interlocked.Increment(ref middle);

    public void AllDone() => Interlocked.Increment(ref end);

    public void FinishedFirst() => Interlocked.Increment(ref finished);

    public override string ToString() =>
        $"kills leaving {unchanged}: {before}, {partly}: {middle}, {all}: {end}; runs finished before their kill: {finished}";
}
