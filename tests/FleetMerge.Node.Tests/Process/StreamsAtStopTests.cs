using System.Net;
using FleetMerge.Node.Tests.Fixtures;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>An open event stream does not hold a stopping node: the stream ends cleanly and the node exits 0.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class StreamsAtStopTests(ITestOutputHelper output)
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task A_merge_event_stream_open_at_sigterm_ends_cleanly_and_the_node_exits_0()
    {
        using var dir = new TempDir("fleetmerge-node-sse-stop");
        // 256 KiB/s: the 8 MiB merge runs for half a minute, far longer than the test.
        await using var node = NodeProcess.StartOn(dir.Path, "--merge-max-rate", "256K");
        string api = await node.WaitForReadyAsync();
        using var volumes = new VolumeApi(NodeProcess.Client(api, File.ReadAllText(Path.Combine(dir.Path, "api-token")).Trim()));
        await volumes.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs", """{"name":"vgs"}""");
        await volumes.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs/vgs/lvs", $$"""{"name":"root","size_bytes":{{8 * MiB}}}""");
        await volumes.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/vgs/vgs/lvs/root/snapshots", $$"""{"name":"s1","size_bytes":{{16 * MiB}}}""");
        await volumes.WriteAsync("vgs", "root", 0, VolumeApi.Pattern(3, 8 * MiB));
        await volumes.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/v1/vgs/vgs/lvs/s1/merge", """{"mode":"nameorigin"}""");

        using var response = await volumes.Client.GetAsync("/api/v1/vgs/vgs/lvs/s1/merge/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync()); // the stream is open and the merge running

        node.Signal(NodeProcess.SIGTERM);

        // A clean end of the response, not a connection the server dropped when its shutdown timed out.
        string rest = await reader.ReadToEndAsync();
        output.WriteLine(rest);
        Assert.DoesNotContain("event: error", rest);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
