namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// The cluster tests that form real clusters (ActorSystems or node processes) run alone, after the
/// parallel tests: their failure detector times are short, and a CPU shared with other tests
/// would make healthy members look unreachable.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestCollection
{
    public const string Name = "real clusters";
}
