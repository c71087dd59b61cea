using FleetMerge.Node.Tests.Fixtures;

namespace FleetMerge.Node.Tests.Process;

/// <summary>The node processes' tests run one after another (a node start costs seconds on 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class NodeProcessCollection : ICollectionFixture<SharedNode>
{
    public const string Name = "node process";
}

/// <summary>
/// One real node shared by the tests that only read or get refused (SQLite, --max-body 1M so the
/// oversize tests send little). Stopped with SIGTERM at the end, and that stop must be clean.
/// </summary>
public sealed class SharedNode : IAsyncLifetime
{
    public const long MaxBody = 1 << 20;

    private readonly TempDir dir = new("fleetmerge-node-shared");
    private NodeProcess? node;

    public string DataDir => dir.Path;
    public NodeProcess Process => node ?? throw new InvalidOperationException("the shared node did not start");
    public string Api { get; private set; } = "";
    public string Token { get; private set; } = "";
    public TimeSpan StartToReady { get; private set; }

    public async Task InitializeAsync()
    {
        node = NodeProcess.StartOn(dir.Path, "--max-body", "1M");
        Api = await node.WaitForReadyAsync();
        StartToReady = node.Started.Elapsed;
        Token = File.ReadAllText(Path.Combine(dir.Path, "api-token")).Trim();
    }

    public HttpClient Client(string? token = null) => NodeProcess.Client(Api, token ?? Token);

    public HttpClient Anonymous() => NodeProcess.Client(Api, null);

    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            if (!node.HasExited) node.Signal(NodeProcess.SIGTERM);
            int code = await node.WaitForExitAsync(TimeSpan.FromSeconds(20));
            string description = node.Describe("the shared node did not stop cleanly");
            await node.DisposeAsync();
            Assert.True(code == 0, description);
        }
        dir.Dispose();
    }
}
