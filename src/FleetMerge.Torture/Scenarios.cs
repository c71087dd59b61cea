using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture;

/// <summary>Every scenario, in the order ops/torture.sh runs them (cheap engine ones first).</summary>
public static class Scenarios
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new Cli.CowWriteKillScenario(),
        new Cli.CowMergeKillScenario(),
        new Cli.DiskFullWriteScenario(),
        new Cli.DiskFullMergeScenario(),
        new PowerLoss.PowerLossWriteScenario(),
        new PowerLoss.PowerLossMergeScenario(),
        new Fuzz.FuzzCowScenario(),
        new Node.NodeMergeKillScenario(),
        new Api.ApiAbuseScenario(),
        new Fleet.CampaignKillScenario(),
        new Fleet.JournalRestartScenario(),
    ];
}
