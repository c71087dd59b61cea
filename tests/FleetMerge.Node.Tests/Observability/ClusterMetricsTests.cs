using FleetMerge.Node.Api;
using FleetMerge.Node.Observability;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>The cluster gauges' counting, as a pure function of the cluster facts.</summary>
public sealed class ClusterMetricsTests
{
    [Fact]
    public void Members_are_counted_by_status_and_every_status_has_a_count()
    {
        var facts = new ClusterFacts("a", [], "a",
            [new("a", "up", []), new("b", "up", []), new("c", "leaving", []), new("d", "weakly_up", [])],
            new HashSet<string> { "c" }, []);
        var counts = ClusterMetrics.MembersByStatus(facts);
        Assert.Equal(ClusterMetrics.Statuses.Order(StringComparer.Ordinal), counts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, counts["up"]);
        Assert.Equal(1, counts["leaving"]);
        Assert.Equal(1, counts["weakly_up"]);
        Assert.Equal(0, counts["joining"]);
        Assert.Equal(4, counts.Values.Sum());
    }
}
