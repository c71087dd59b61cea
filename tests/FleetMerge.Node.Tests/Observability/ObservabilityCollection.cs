namespace FleetMerge.Node.Tests.Observability;

/// <summary>The observability tests each run a real node: one after another, not side by side on 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class ObservabilityCollection : ICollectionFixture<CampaignNode>
{
    public const string Name = "observability";
}
