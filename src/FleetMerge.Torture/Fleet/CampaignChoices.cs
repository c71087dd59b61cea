using FleetMerge.Node.Api.Fleet;

namespace FleetMerge.Torture.Fleet;

/// <summary>A trial's random campaign shapes: waves, limits in flight, canaries, failure budget, step timeout.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class CampaignChoices
{
    private static readonly string[] WaveSizes = ["100%", "50%", "10", "25%", "5"];
    private static readonly int[] InFlight = [0, 0, 3, 5, 10];
    private static readonly string[] Budgets = ["0", "100%", "5"];

    public static CampaignRequest Snapshot(Random random, IReadOnlyList<string> stepTimeouts) => new(
        "snapshot",
        Hosts: TortureCluster.Selector,
        Volumes: ["vg0/root"],
        Size: "50%",
        Upgrade: true,
        Health: random.Next(2) == 0,
        Canary: random.Next(2) * 2,
        WaveSize: Pick(random, WaveSizes),
        MaxInFlight: Pick(random, InFlight),
        FailureBudget: Pick(random, Budgets),
        StepTimeout: Pick(random, stepTimeouts));

    /// <summary>A rollback or commit of <paramref name="of"/>, over all its hosts with a snapshot or over <paramref name="hosts"/>.</summary>
    public static CampaignRequest FollowUp(Random random, string kind, string of, IReadOnlyList<string> stepTimeouts, IReadOnlyList<string>? hosts = null) => new(
        kind,
        Hosts: hosts is null ? null : "host=" + string.Join('|', hosts),
        Of: of,
        WaveSize: Pick(random, WaveSizes),
        MaxInFlight: Pick(random, InFlight),
        FailureBudget: "100%",
        StepTimeout: Pick(random, stepTimeouts));

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];
}
