using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FleetMerge.Fleet.Hosts;

namespace FleetMerge.Fleet;

/// <summary>
/// The coordinator's instruments, meter <see cref="MeterName"/>: campaigns counted where they start
/// and end, and the fleet's hosts read from the host registry's latest state whenever a listener
/// collects. Only the node running the coordinator singleton reports them (the registry publishes
/// its state while it runs and takes it back when it stops, e.g. at a failover).
/// </summary>
public static class FleetMetrics
{
    public const string MeterName = "FleetMerge.Fleet";

    private static readonly Meter Meter = new(MeterName);

    // Registry (by actor instance) → its latest state; immutable, so a collect reads it while the actor moves on.
    private static readonly ConcurrentDictionary<object, HostRegistryState> Registries = new();

    private static readonly Counter<long> Started =
        Meter.CreateCounter<long>("fleetmerge.campaigns.started", "{campaign}", "Campaigns started, by kind (snapshot, rollback, commit)");

    private static readonly Counter<long> Ended =
        Meter.CreateCounter<long>("fleetmerge.campaigns.ended", "{campaign}", "Campaigns ended, by kind and final state (completed, failed, aborted)");

    static FleetMetrics()
    {
        Meter.CreateObservableGauge("fleetmerge.hosts", MeasureHosts, "{host}",
            "Hosts the coordinator's registry knows, by reachability (reachable, unreachable, left) and state (idle, merging, needs-reboot, failed)");
    }

    public static void CampaignStarted(string kind) => Started.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void CampaignEnded(string kind, string state) =>
        Ended.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("state", state));

    internal static void PublishHosts(object registry, HostRegistryState state) => Registries[registry] = state;

    internal static void ForgetHosts(object registry) => Registries.TryRemove(registry, out _);

    /// <summary>Host counts by (reachability, state) over every registry this process runs (one, on the coordinator's node).</summary>
    public static IReadOnlyDictionary<(string Reachability, string State), int> HostCounts()
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var state in Registries.Values)
        {
            foreach (var host in state.Hosts.Values)
            {
                var key = (state.ReachabilityOf(host), HostStates.Of(host.Report.Volumes));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        return counts;
    }

    private static IEnumerable<Measurement<int>> MeasureHosts() =>
        HostCounts().Select(c => new Measurement<int>(c.Value,
            new KeyValuePair<string, object?>("reachability", c.Key.Reachability),
            new KeyValuePair<string, object?>("state", c.Key.State)));
}
