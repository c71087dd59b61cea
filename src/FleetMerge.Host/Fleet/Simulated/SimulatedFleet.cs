using System.Globalization;
using Akka.Actor;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// Simulated hosts sim-0001 … sim-NNNN: each a fleet host actor with an owned host agent on its own
/// directory, a volume vg0/root filled with bytes seeded by its id, built-in hooks and injected faults.
/// Labels: env=sim, rack=r&lt;i mod 3&gt; (i counts from 0), canary=true on the first two, plus the settings' extra labels.
/// </summary>
public static class SimulatedFleet
{
    public static string HostId(int index) => string.Create(CultureInfo.InvariantCulture, $"sim-{index + 1:D4}");

    /// <summary>The hosts of the fleet, faults resolved.</summary>
    /// <exception cref="FormatException">A bad fault string or a fault naming a host the fleet does not have (one line).</exception>
    /// <exception cref="ArgumentException">Bad sizes or count (one line).</exception>
    public static IReadOnlyList<SimulatedHostSpec> Hosts(SimulatedFleetSettings settings)
    {
        Check(settings);
        // Several nodes of one cluster each simulate a slice of the fleet: sim-0011 … sim-0020 on the second of three.
        var indexes = Enumerable.Range(settings.FirstNumber - 1, settings.Count).ToList();
        var ids = indexes.Select(HostId).ToList();
        var faults = SimulatedFaults.Parse(settings.Faults).Resolve(ids);
        return [.. ids.Select((id, i) => new SimulatedHostSpec(
            id, indexes[i], Labels(indexes[i], settings.ExtraLabels), Path.Combine(Path.GetFullPath(settings.DataDirectory), "sim", id),
            settings.OriginBytes, settings.CapacityBytes, settings.UpgradePages, settings.UpgradePageBytes, faults[id]))];
    }

    public static IReadOnlyDictionary<string, string> Labels(int index, IReadOnlyDictionary<string, string> extra)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["env"] = "sim",
            ["rack"] = string.Create(CultureInfo.InvariantCulture, $"r{index % 3}"),
        };
        if (index < 2) labels["canary"] = "true";
        foreach (var (key, value) in extra) labels[key] = value;
        return labels;
    }

    /// <summary>Starts every host as <c>fleet-host-&lt;id&gt;</c> under <paramref name="parent"/>; reports go to <paramref name="coordinator"/>.</summary>
    public static IReadOnlyList<(SimulatedHostSpec Host, IActorRef Actor)> Start(IActorRefFactory parent, SimulatedFleetSettings settings,
        VolumeActorSettings volumes, IActorRef coordinator) =>
        [.. Hosts(settings).Select(h => (h, parent.ActorOf(FleetHostActor.ForSimulated(h, volumes, coordinator), $"fleet-host-{h.HostId}")))];

    private static void Check(SimulatedFleetSettings s)
    {
        if (s.Count < 0) throw new ArgumentException($"simulated hosts: the count must be 0 or more (got {s.Count})");
        if (s.FirstNumber < 1) throw new ArgumentException($"simulated hosts: the first host number must be 1 or more (got {s.FirstNumber})");
        if (s.OriginBytes < 64 << 10 || s.OriginBytes % 4096 != 0)
            throw new ArgumentException($"simulated hosts: the origin size must be a multiple of 4 KiB and at least 64 KiB (got {s.OriginBytes})");
        if (s.CapacityBytes < s.OriginBytes)
            throw new ArgumentException($"simulated hosts: the disk capacity ({s.CapacityBytes}) is smaller than the origin ({s.OriginBytes})");
        if (s.UpgradePageBytes < 4096 || s.UpgradePageBytes % 4096 != 0)
            throw new ArgumentException($"simulated hosts: the upgrade page size must be a multiple of 4 KiB (got {s.UpgradePageBytes})");
        if (s.UpgradePages < 1) throw new ArgumentException($"simulated hosts: the upgrade writes at least one page (got {s.UpgradePages})");
    }
}
