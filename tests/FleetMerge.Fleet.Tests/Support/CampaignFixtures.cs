using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>Specs, plans and host ids for campaign tests.</summary>
public static class CampaignFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static CampaignSpec Snapshot(
        string hosts = "all", int canary = 0, string waveSize = "100%", int maxInFlight = 0, string budget = "0",
        bool upgrade = false, bool health = false, bool autoRollback = false, TimeSpan? stepTimeout = null,
        MaintenanceWindowSpec? window = null) =>
        new(CampaignKinds.Snapshot, hosts, ["vg0/root"], "20%", 65536, null, upgrade, health, canary, waveSize, maxInFlight, budget,
            autoRollback, stepTimeout ?? TimeSpan.FromMinutes(5), window, null);

    public static CampaignSpec Rollback(string of, string hosts = "all", string budget = "100%") =>
        new(CampaignKinds.Rollback, hosts, [], null, 0, of, false, false, 0, "100%", 0, budget, false, TimeSpan.FromMinutes(5), null, null);

    public static CampaignSpec Commit(string of, string hosts = "all") =>
        new(CampaignKinds.Commit, hosts, [], null, 0, of, false, false, 0, "100%", 0, "100%", false, TimeSpan.FromMinutes(5), null, null);

    public static IReadOnlyList<string> HostIds(int count) => [.. Enumerable.Range(1, count).Select(HostId)];

    public static string HostId(int i) => $"sim-{i:0000}";

    public static CampaignPlan Plan(CampaignSpec spec, int hosts, string id = "c1", IReadOnlyList<string>? canaryLabelled = null) =>
        CampaignPlanner.Plan(id, spec, HostIds(hosts), canaryLabelled ?? [], null);

    public static CampaignState Start(CampaignPlan plan, DateTimeOffset? at = null) =>
        CampaignEvolution.Create(CampaignDecisions.Create(plan, "test", at ?? T0));

    public static HostStepResult Ok(string hostId, string key, string detail = "ok") => new(key, hostId, true, detail, false, T0);

    public static HostStepResult Failed(string hostId, string key, string detail = "boom") => new(key, hostId, false, detail, false, T0);
}
