namespace FleetMerge.Torture.Harness;

/// <summary>
/// A trial's seed from the run's seed, the scenario's name and the trial number (FNV-1a over the three):
/// stable across processes and machines, unlike string.GetHashCode, which is randomized per process.
/// </summary>
public static class TrialSeed
{
    public static int Of(int runSeed, string scenario, int trial)
    {
        uint hash = 2166136261;
        foreach (char c in $"{runSeed}/{scenario}/{trial}")
        {
            hash ^= c;
            hash *= 16777619;
        }
        return (int)(hash & 0x7FFF_FFFF);
    }
}
