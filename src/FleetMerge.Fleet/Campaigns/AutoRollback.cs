using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>The rollback campaign the coordinator starts for a halted snapshot campaign's failed hosts.</summary>
public static class AutoRollback
{
    /// <summary>
    /// A rollback Of the halted campaign over exactly <paramref name="hosts"/>, one wave, as careful
    /// with time as the original (same step timeout, same maintenance window, same hosts in flight)
    /// and never halting early: every failed host should get its rollback.
    /// </summary>
    public static CampaignSpec Spec(CampaignSpec original, string of, IReadOnlyList<string> hosts) => new(
        CampaignKinds.Rollback, Selector(hosts), [], null, 0, of, Upgrade: false, Health: false, Canary: 0, WaveSize: "100%",
        original.MaxInFlight, FailureBudget: "100%", AutoRollback: false, original.StepTimeout, original.Window, Policy: null);

    /// <summary>"host=a|b|c": a selector naming exactly these hosts.</summary>
    public static string Selector(IReadOnlyList<string> hosts) => "host=" + string.Join("|", hosts);

    public static string RequestedBy(string of) => $"auto-rollback of {of}";
}
