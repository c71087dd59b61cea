using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using FleetMerge.Node.Api;

namespace FleetMerge.Node.Observability;

/// <summary>
/// Cluster membership as this node's gossip has it, read at every collect (meter <see cref="MeterName"/>):
/// members by status and the unreachable ones. Every node reports its own view, so a query takes
/// max() over nodes, not sum().
/// </summary>
public sealed class ClusterMetrics : IDisposable
{
    public const string MeterName = "FleetMerge.Node";

    /// <summary>Every status gets a series, zero or not, so an alert on "up below 3" also sees 0.</summary>
    public static readonly IReadOnlyList<string> Statuses =
        [.. Enum.GetValues<MemberStatus>().Select(ClusterEndpoints.StatusName)];

    private readonly Meter meter = new(MeterName);
    private readonly IServiceProvider services;

    public ClusterMetrics(IServiceProvider services)
    {
        this.services = services;
        meter.CreateObservableGauge("fleetmerge.cluster.members", MeasureMembers, "{member}",
            "Cluster members in this node's view, by status (joining, weakly_up, up, leaving, exiting, down, removed, ...)");
        meter.CreateObservableGauge("fleetmerge.cluster.members.unreachable", MeasureUnreachable, "{member}",
            "Cluster members this node's failure detector marks unreachable");
    }

    /// <summary>Members by status, every status present (zero when none has it).</summary>
    public static IReadOnlyDictionary<string, int> MembersByStatus(ClusterFacts facts)
    {
        var counts = Statuses.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var member in facts.Members) counts[member.Status] = counts.GetValueOrDefault(member.Status) + 1;
        return counts;
    }

    private ClusterFacts? Facts()
    {
        // Before Akka has started (or once it has stopped) there is no view to report.
        if (services.GetService<ActorSystem>() is not { WhenTerminated.IsCompleted: false } system) return null;
        return ClusterEndpoints.Facts(system);
    }

    private IEnumerable<Measurement<int>> MeasureMembers() =>
        Facts() is { } facts
            ? MembersByStatus(facts).Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("status", s.Key)))
            : [];

    private IEnumerable<Measurement<int>> MeasureUnreachable() =>
        Facts() is { } facts ? [new Measurement<int>(facts.Unreachable.Count)] : [];

    public void Dispose() => meter.Dispose();
}
