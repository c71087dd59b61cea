using FleetMerge.Node.Tests.Fixtures;

namespace FleetMerge.Node.Tests.Process;

/// <summary>
/// A real node for the vg/lv API tests (SQLite), with a merge rate limit so a merge of a few MiB
/// runs long enough to be watched. Each test uses its own volume group.
/// </summary>
public sealed class VolumeNode : IAsyncLifetime
{
    public const string MergeRate = "16M";

    private readonly TempDir dir = new("fleetmerge-node-volumes");
    private NodeProcess? node;

    public string DataDir => dir.Path;
    public NodeProcess Process => node ?? throw new InvalidOperationException("the volume node did not start");
    public string Api { get; private set; } = "";
    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        node = NodeProcess.StartOn(dir.Path, "--merge-max-rate", MergeRate);
        Api = await node.WaitForReadyAsync();
        Token = File.ReadAllText(Path.Combine(dir.Path, "api-token")).Trim();
    }

    public VolumeApi Client(string? token = null) => new(NodeProcess.Client(Api, token ?? Token));

    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            if (!node.HasExited) node.Signal(NodeProcess.SIGTERM);
            int code = await node.WaitForExitAsync(TimeSpan.FromSeconds(20));
            string description = node.Describe("the volume node did not stop cleanly");
            await node.DisposeAsync();
            Assert.True(code == 0, description);
        }
        dir.Dispose();
    }
}
