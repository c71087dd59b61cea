namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>How many simulated hosts a node runs, and what they look like (see <see cref="SimulatedFleet"/>).</summary>
/// <param name="DataDirectory">DATA_DIR: each host lives in DATA_DIR/sim/&lt;id&gt;.</param>
/// <param name="ExtraLabels">Added to every host's labels (env=sim, rack=r&lt;i mod 3&gt;, canary=true for the first two).</param>
/// <param name="Faults">A fault string for <see cref="SimulatedFaults.Parse"/>, or null.</param>
public sealed record SimulatedFleetSettings(int Count, string DataDirectory)
{
    public const long DefaultOriginBytes = 4L << 20;
    public const long DefaultCapacityBytes = 64L << 20;

    /// <summary>The number of the first host (sim-0001 is 1): nodes of one cluster simulate disjoint slices.</summary>
    public int FirstNumber { get; init; } = 1;

    public long OriginBytes { get; init; } = DefaultOriginBytes;

    public long CapacityBytes { get; init; } = DefaultCapacityBytes;

    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    public string? Faults { get; init; }

    public int UpgradePages { get; init; } = 64;

    public int UpgradePageBytes { get; init; } = 4096;
}
