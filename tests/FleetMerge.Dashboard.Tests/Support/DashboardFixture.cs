namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>
/// What every dashboard test shares, started once (a node start and a browser start cost seconds
/// on 2 cores): the fleet node and chromium. The tests run one after another and each leaves the
/// fleet as it found it: every host idle with its origin only, no campaign running, no policy.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public FleetNode Node { get; } = new();
    public Chromium Chromium { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(Node.StartAsync(), Chromium.StartAsync());

    public async Task DisposeAsync()
    {
        try { await Chromium.DisposeAsync(); }
        finally { await Node.DisposeAsync(); }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
