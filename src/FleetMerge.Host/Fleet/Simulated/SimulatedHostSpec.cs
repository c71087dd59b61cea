namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// One simulated host: its id and labels, its directory (DATA_DIR/sim/&lt;id&gt;, volume groups in
/// vgs/ under it), the volume it has (group <see cref="Vg"/>, origin <see cref="Origin"/>), its disk
/// capacity (bounds free space), the shape of the release its upgrade hook writes, and its faults.
/// </summary>
/// <param name="UpgradePages">How many pages the upgrade hook writes (at deterministic pseudo-random offsets).</param>
/// <param name="UpgradePageBytes">Size of each such page (a multiple of 4 KiB).</param>
public sealed record SimulatedHostSpec(
    string HostId,
    int Index,
    IReadOnlyDictionary<string, string> Labels,
    string Directory,
    long OriginBytes,
    long CapacityBytes,
    int UpgradePages,
    int UpgradePageBytes,
    HostFaults Faults)
{
    public const string Vg = "vg0";
    public const string Origin = "root";

    public string VgsDirectory => Path.Combine(Directory, "vgs");

    /// <summary>"vg0/root", as steps name it.</summary>
    public string Volume => $"{Vg}/{Origin}";
}
