using System.Diagnostics.Metrics;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// The merge copy pipeline's instruments, meter <see cref="MeterName"/>. The engine updates them
/// where the work happens; a process that wants them (the node's Prometheus endpoint) listens to
/// the meter, and without a listener they cost next to nothing (the offline CLI). No labels: a
/// node's merges add up per node, and per-snapshot detail is the COW gauges' job.
/// </summary>
public static class MergeMetrics
{
    public const string MeterName = "FleetMerge.Storage";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Bytes copied from COW stores to origins (rate() of it is the merge throughput).</summary>
    internal static readonly Counter<long> BytesCopied =
        Meter.CreateCounter<long>("fleetmerge.merge.copied", "By", "Bytes merges copied from COW stores into their origins");

    /// <summary>Chunks whose copy is durable in the origin and whose exception left the table.</summary>
    internal static readonly Counter<long> ChunksMerged =
        Meter.CreateCounter<long>("fleetmerge.merge.chunks", "{chunk}", "Chunks merged into origins (copied, flushed and removed from the exception table)");

    /// <summary>Merge runs copying right now (a run stopped by a deactivation or cancelled is no longer running).</summary>
    internal static readonly UpDownCounter<long> Running =
        Meter.CreateUpDownCounter<long>("fleetmerge.merges.running", "{merge}", "Merges copying right now");

    internal static readonly Counter<long> Completed =
        Meter.CreateCounter<long>("fleetmerge.merges.completed", "{merge}", "Merges whose exception table became empty");

    /// <summary>A merge failed on an I/O error ("Merge failed" in the status line).</summary>
    internal static readonly Counter<long> Failed =
        Meter.CreateCounter<long>("fleetmerge.merges.failed", "{merge}", "Merges that failed on an I/O error");
}
