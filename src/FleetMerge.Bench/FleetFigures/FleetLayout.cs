using System.Globalization;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>Which simulated hosts each node of the bench's cluster runs: sim-0001 … in consecutive slices.</summary>
/// <param name="First">The number of the slice's first host (--simulate-first).</param>
/// <param name="Count">How many hosts the node simulates (--simulate-hosts).</param>
public sealed record HostSlice(int First, int Count)
{
    public IEnumerable<string> HostIds => Enumerable.Range(First, Count).Select(HostId);

    /// <summary>The simulated host's id as the node names it (SimulatedFleet.HostId: sim-0001).</summary>
    public static string HostId(int number) => string.Create(CultureInfo.InvariantCulture, $"sim-{number:D4}");
}

public static class FleetLayout
{
    /// <summary>Hosts over nodes as evenly as they go, the first nodes taking the remainder: 1000 over 3 is 334/333/333.</summary>
    public static IReadOnlyList<HostSlice> Split(int hosts, int nodes)
    {
        var slices = new List<HostSlice>();
        int first = 1;
        for (int k = 0; k < nodes; k++)
        {
            int count = hosts / nodes + (k < hosts % nodes ? 1 : 0);
            slices.Add(new HostSlice(first, count));
            first += count;
        }
        return slices;
    }

    /// <summary>
    /// A small fleet spread like the big one: <paramref name="perNode"/> hosts from each slice, the
    /// <paramref name="round"/>-th such group (so that repeated runs take fresh hosts), as a host selector.
    /// </summary>
    public static string SmallFleetSelector(IReadOnlyList<HostSlice> slices, int perNode, int round)
    {
        var ids = slices.SelectMany(s =>
        {
            int offset = round * perNode;
            if (offset + perNode > s.Count) throw new ArgumentException($"a slice of {s.Count} hosts has no {round + 1}th group of {perNode}");
            return Enumerable.Range(s.First + offset, perNode).Select(HostSlice.HostId);
        });
        return "host=" + string.Join('|', ids);
    }
}
