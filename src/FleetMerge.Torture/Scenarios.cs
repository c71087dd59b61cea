using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture;

/// <summary>Every scenario, in the order ops/torture.sh runs them (cheap engine ones first).</summary>
public static class Scenarios
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new Node.NodeMergeKillScenario(),
        new Api.ApiAbuseScenario(),
    ];
}
