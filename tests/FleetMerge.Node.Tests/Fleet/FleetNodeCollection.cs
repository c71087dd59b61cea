namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// The fleet tests share two real nodes (a node start costs seconds on 2 cores) and run one after
/// another: <see cref="BreakingFleet"/> and <see cref="SlowFleet"/>. Every test leaves its fleet
/// as it found it: no snapshot left, no campaign running, no policy.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FleetNodeCollection : ICollectionFixture<BreakingFleet>, ICollectionFixture<SlowFleet>
{
    public const string Name = "fleet node";
}
