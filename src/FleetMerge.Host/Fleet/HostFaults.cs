using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet;

/// <summary>The faults injected into one simulated host (see Simulated.SimulatedFaults); a real host has none.</summary>
/// <param name="UpgradeFails">The upgrade hook fails after writing half of the release.</param>
/// <param name="UpgradeBreaks">The upgrade hook writes a release marked BROKEN (health fails until a rollback).</param>
/// <param name="HealthFails">The health hook always fails.</param>
/// <param name="Slow">Every step takes this much longer (counted in the step's timeout).</param>
/// <param name="CrashMidMerge">At the next reboot the host agent is stopped abruptly once its merge has made progress, and started again.</param>
public sealed record HostFaults(bool UpgradeFails, bool UpgradeBreaks, bool HealthFails, TimeSpan Slow, bool CrashMidMerge)
{
    public static HostFaults None { get; } = new(false, false, false, TimeSpan.Zero, false);

    public override string ToString()
    {
        var names = new List<string>();
        if (UpgradeFails) names.Add("upgrade-fails");
        if (UpgradeBreaks) names.Add("upgrade-breaks");
        if (HealthFails) names.Add("health-fails");
        if (Slow > TimeSpan.Zero) names.Add($"slow:{Durations.Format(Slow)}");
        if (CrashMidMerge) names.Add("crash-mid-merge");
        return names.Count == 0 ? "none" : string.Join(",", names);
    }
}
