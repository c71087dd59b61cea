using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host;

/// <summary>
/// The host side's instruments, meter <see cref="MeterName"/>: step outcomes counted where a step
/// ends, and COW use read from the catalogs of the hosts this process runs (the node's own and its
/// simulated ones) whenever a listener collects. A fleet host actor tracks its host's catalog while
/// its agent is up, so the gauges know which host a volume group belongs to.
/// </summary>
public static class HostMetrics
{
    public const string MeterName = "FleetMerge.Host";

    private static readonly Meter Meter = new(MeterName);

    // Catalog → host id; a catalog is tracked by reference (two tests may run hosts of the same name).
    private static readonly ConcurrentDictionary<HostCatalog, string> Catalogs = new();

    private static readonly Counter<long> Steps =
        Meter.CreateCounter<long>("fleetmerge.host.steps", "{step}", "Campaign steps hosts ran to the end, by kind and outcome (ok, failed)");

    static HostMetrics()
    {
        Meter.CreateObservableGauge("fleetmerge.cow.allocated", () => Measure(u => u.AllocatedBytes), "By",
            "Bytes of each active snapshot's COW store in use (exceptions and metadata), as the status line's allocated");
        Meter.CreateObservableGauge("fleetmerge.cow.size", () => Measure(u => u.SizeBytes), "By",
            "Size of each active snapshot's COW store");
        Meter.CreateObservableGauge("fleetmerge.cow.used.ratio", () => Measure(u => u.Ratio), "1",
            "Fraction of each active snapshot's COW store in use (lvs Data% / 100); the snapshot is invalidated when it reaches 1");
    }

    /// <summary>Counts a step that ran to its end on a host (answers from the ledger are not runs).</summary>
    public static void StepFinished(string kind, bool ok) =>
        Steps.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));

    /// <summary>The gauges read <paramref name="catalog"/> as host <paramref name="hostId"/>'s until <see cref="Untrack"/>.</summary>
    public static void Track(HostCatalog catalog, string hostId) => Catalogs[catalog] = hostId;

    public static void Untrack(HostCatalog catalog) => Catalogs.TryRemove(catalog, out _);

    /// <summary>Every active snapshot of every tracked host, with its labels.</summary>
    public static IReadOnlyList<(string Host, CowUse Use)> CowUses()
    {
        var uses = new List<(string, CowUse)>();
        foreach (var (catalog, host) in Catalogs)
        {
            foreach (var group in catalog.All)
            {
                try { uses.AddRange(group.CowUses().Select(u => (host, u))); }
                catch (ObjectDisposedException) { } // the agent is stopping: its host reports again once it is back
            }
        }
        return uses;
    }

    private static IEnumerable<Measurement<T>> Measure<T>(Func<CowUse, T> value) where T : struct =>
        CowUses().Select(u => new Measurement<T>(value(u.Use),
            new KeyValuePair<string, object?>("host", u.Host),
            new KeyValuePair<string, object?>("vg", u.Use.Vg),
            new KeyValuePair<string, object?>("lv", u.Use.Snapshot),
            new KeyValuePair<string, object?>("origin", u.Use.Origin)));
}
