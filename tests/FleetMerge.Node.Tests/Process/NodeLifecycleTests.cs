using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FleetMerge.Node.Tests.Fixtures;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>Nodes of their own: stop with SIGTERM/SIGINT, restart on the same data, PostgreSQL, bad options.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class NodeLifecycleTests(ITestOutputHelper output)
{
    private static async Task<HttpStatusCode> GetNodeAsync(string api, string token)
    {
        using var client = NodeProcess.Client(api, token);
        using var response = await client.GetAsync("/api/v1/node");
        return response.StatusCode;
    }

    private async Task<TimeSpan> StopAsync(NodeProcess node, int signal)
    {
        var clock = Stopwatch.StartNew();
        node.Signal(signal);
        int code = await node.WaitForExitAsync(TimeSpan.FromSeconds(15));
        clock.Stop();
        output.WriteLine($"signal {signal}: exit {code} after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(code == 0, node.Describe($"signal {signal} gave exit code {code}"));
        Assert.Single(node.Stdout); // the ready line, nothing else
        return clock.Elapsed;
    }

    [Fact]
    public async Task Sigterm_stops_cleanly_and_a_restart_reuses_data_and_token()
    {
        using var dir = new TempDir("fleetmerge-node-restart");
        string tokenFile = Path.Combine(dir.Path, "api-token");

        string token;
        await using (var first = NodeProcess.StartOn(dir.Path))
        {
            string api = await first.WaitForReadyAsync();
            output.WriteLine($"first start to ready: {first.Started.Elapsed.TotalSeconds:0.00} s");
            token = File.ReadAllText(tokenFile).Trim();
            Assert.Equal(HttpStatusCode.OK, await GetNodeAsync(api, token));
            await StopAsync(first, NodeProcess.SIGTERM);
        }
        var tokenWritten = File.GetLastWriteTimeUtc(tokenFile);

        await using (var second = NodeProcess.StartOn(dir.Path))
        {
            string api = await second.WaitForReadyAsync();
            output.WriteLine($"restart to ready: {second.Started.Elapsed.TotalSeconds:0.00} s");
            Assert.Equal(token, File.ReadAllText(tokenFile).Trim());
            Assert.Equal(tokenWritten, File.GetLastWriteTimeUtc(tokenFile));
            Assert.Equal(HttpStatusCode.OK, await GetNodeAsync(api, token));
            await StopAsync(second, NodeProcess.SIGINT); // Ctrl-C
        }
    }

    [Fact]
    public async Task A_postgres_node_creates_its_schema_and_reports_healthy()
    {
        using var schema = new PostgresSchema();
        using var dir = new TempDir("fleetmerge-node-pg");
        await using var node = NodeProcess.Start(
            ["--data-dir", dir.Path, "--api-port", "0", "--persistence", "postgres"],
            new Dictionary<string, string> { ["FLEETMERGE_POSTGRES"] = schema.ConnectionString });
        string api = await node.WaitForReadyAsync();
        output.WriteLine($"postgres node start to ready: {node.Started.Elapsed.TotalSeconds:0.00} s");
        Assert.EndsWith(" persistence postgres", node.Stdout[0]);
        Assert.False(File.Exists(Path.Combine(dir.Path, "journal.db")));

        var tables = schema.Tables();
        Assert.Contains("journal", tables);
        Assert.Contains("snapshot", tables);

        using var client = NodeProcess.Client(api, File.ReadAllText(Path.Combine(dir.Path, "api-token")).Trim());
        using var health = await client.GetAsync("/api/v1/health");
        string body = await health.Content.ReadAsStringAsync();
        Assert.True(health.StatusCode == HttpStatusCode.OK, body);
        var info = JsonDocument.Parse(await client.GetStringAsync("/api/v1/node")).RootElement.GetProperty("persistence");
        Assert.Equal("postgres", info.GetProperty("kind").GetString());
        Assert.Equal("PostgreSQL.15", info.GetProperty("provider").GetString());
        Assert.DoesNotContain("Password", info.ToString(), StringComparison.OrdinalIgnoreCase);
        await StopAsync(node, NodeProcess.SIGTERM);
    }

    [Theory]
    [InlineData("--api-port", "abc")]
    [InlineData("--api-port", "70000")]
    [InlineData("--persistence", "postgres")]
    [InlineData("--persistence", "mysql")]
    [InlineData("--no-such-option", "1")]
    public async Task Bad_options_exit_2_with_one_line(string option, string value)
    {
        using var dir = new TempDir("fleetmerge-node-usage");
        await using var node = NodeProcess.Start(["--data-dir", dir.Path, option, value]);
        int code = await node.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, code);
        Assert.Empty(node.Stdout);
        string line = Assert.Single(node.Stderr);
        Assert.StartsWith("fleetmerge-node: ", line);
        output.WriteLine(line);
    }
}
