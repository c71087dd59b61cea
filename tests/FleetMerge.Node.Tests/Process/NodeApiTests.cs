using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Process;

/// <summary>The real node's API: authentication, node info, health, bad input, limits, the data directory lock.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class NodeApiTests(SharedNode node, ITestOutputHelper output)
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(HttpClient client, string path, string json) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    private static string Error(JsonElement body) => body.GetProperty("error").GetString() ?? "";

    [Fact]
    public void Starts_within_the_budget()
    {
        output.WriteLine($"start to ready: {node.StartToReady.TotalSeconds:0.00} s");
        Assert.True(node.StartToReady < TimeSpan.FromSeconds(30), $"start to ready took {node.StartToReady}");
        Assert.Equal([node.Process.Stdout[0]], node.Process.Stdout);
        Assert.Matches(@"^fleetmerge-node ready: api http://127\.0\.0\.1:\d+ data /\S+ persistence sqlite$", node.Process.Stdout[0]);
    }

    [Theory]
    [InlineData("/api/v1/node")]
    [InlineData("/api/v1/health")]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/nothing-here")]
    public async Task Without_a_token_every_path_is_401(string path)
    {
        using var client = node.Anonymous();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("missing bearer token", Error(body));
    }

    [Fact]
    public async Task A_wrong_token_is_401_and_does_nothing()
    {
        using var client = node.Client(token: node.Token[..^1] + (node.Token[^1] == '0' ? '1' : '0'));
        var (status, body) = await PostJsonAsync(client, "/api/v1/node/ping", """{"payload":"x"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("wrong bearer token", Error(body));

        using var basic = node.Anonymous();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", node.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(basic, "/api/v1/node")).Status);
    }

    [Fact]
    public void The_token_file_is_private()
    {
        string path = Path.Combine(node.DataDir, "api-token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Matches("^[0-9a-f]{64}$", node.Token);
        Assert.Empty(Directory.GetFiles(node.DataDir, "*.tmp"));
    }

    [Fact]
    public async Task Node_info_with_the_token()
    {
        using var client = node.Client();
        var (status, body) = await GetAsync(client, "/api/v1/node");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fleetmerge-node", body.GetProperty("name").GetString());
        Assert.Equal(node.DataDir, body.GetProperty("data_dir").GetString());
        Assert.Equal(node.Api, body.GetProperty("api").GetString());
        Assert.Equal(node.Process.Pid, body.GetProperty("pid").GetInt32());
        Assert.Equal("sqlite", body.GetProperty("persistence").GetProperty("kind").GetString());
        Assert.Equal("SQLite.MS", body.GetProperty("persistence").GetProperty("provider").GetString());
        var cluster = body.GetProperty("cluster");
        Assert.Equal("up", cluster.GetProperty("self_status").GetString());
        var roles = cluster.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Subset(roles.ToHashSet(), new HashSet<string?> { "host", "coordinator", "api" });
        Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal(cluster.GetProperty("self_address").GetString(), cluster.GetProperty("leader").GetString());
        Assert.True(body.GetProperty("uptime_seconds").GetDouble() > 0);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        var hocon = body.GetProperty("hocon").EnumerateArray().Select(h => Path.GetFileName(h.GetString())).ToList();
        Assert.Equal(["base.conf", "sqlite.conf"], hocon);
    }

    [Fact]
    public async Task Health_lists_akka_and_sql_checks_all_healthy()
    {
        using var client = node.Client();
        var (status, body) = await GetAsync(client, "/api/v1/health");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        foreach (var name in new[] { "akka.actorsystem", "akka.cluster.join", "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql", "fleetmerge.persistence.connectivity" })
            Assert.True(checks.TryGetValue(name, out var s) && s == "healthy", $"{name}: {body}");
    }

    [Fact]
    public void The_journal_schema_exists_in_a_wal_mode_sqlite_file()
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(node.DataDir, "journal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var tables = db.CreateCommand();
        tables.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)";
        var names = ((string)tables.ExecuteScalar()!).Split(',');
        Assert.Contains("journal", names);
        Assert.Contains("snapshot", names);
        using var mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
    }

    [Fact]
    public async Task Ping_goes_through_the_actor_system()
    {
        using var client = node.Client();
        var (status, body) = await PostJsonAsync(client, "/api/v1/node/ping", """{"payload":"hello"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello", body.GetProperty("payload").GetString());
        Assert.StartsWith("akka.tcp://fleetmerge@127.0.0.1:", body.GetProperty("answered_by").GetString());
    }

    [Theory]
    [InlineData("""{"payload":""", "invalid JSON body")]
    [InlineData("""not json""", "invalid JSON body")]
    [InlineData("""{"payload":"x","bogus":1}""", "unknown property 'bogus'")]
    [InlineData("""{}""", "missing required property 'payload'")]
    [InlineData("""{"payload":null}""", "null is not allowed at $.payload")]
    [InlineData("""{"payload":17}""", "invalid JSON body: wrong type of value at $.payload")]
    [InlineData("""[1,2]""", "invalid JSON body: wrong type of value, expected an object")]
    public async Task Malformed_json_is_400_naming_the_problem(string json, string expected)
    {
        using var client = node.Client();
        var (status, body) = await PostJsonAsync(client, "/api/v1/node/ping", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, Error(body));
        Assert.DoesNotContain("FleetMerge.", Error(body));
    }

    [Fact]
    public async Task Bad_requests_that_are_not_json_get_json_errors()
    {
        using var client = node.Client();
        var (status, body) = await PostJsonAsync(client, "/api/v1/node/ping", new string('x', 0));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("JSON body", Error(body));

        (status, body) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/node/ping") { Content = new StringContent("payload=x", Encoding.UTF8, "text/plain") });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("must be JSON", Error(body));

        (status, body) = await GetAsync(client, "/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("no such endpoint: GET /api/v1/no-such-thing", Error(body));

        (status, body) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, "/api/v1/node"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("DELETE", Error(body));

        (status, body) = await PostJsonAsync(client, "/api/v1/node/ping", $$"""{"payload":"{{new string('p', 1025)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("payload: 1025 characters", Error(body));
    }

    [Fact]
    public async Task A_declared_oversized_body_is_413_before_it_is_sent()
    {
        using var client = node.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/node/ping") { Content = new ZeroContent(SharedNode.MaxBody + 1) };
        request.Headers.ExpectContinue = true;
        var (status, body) = await SendAsync(client, request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("request body too large", Error(body));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413()
    {
        using var client = node.Client();
        // Valid JSON as far as it goes, so the server keeps reading until the limit stops it.
        var json = "{\"payload\":\"" + new string('a', (int)SharedNode.MaxBody + 1024) + "\"}";
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/node/ping") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var (status, body) = await SendAsync(client, request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("request body too large", Error(body));
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_dir_is_refused_with_one_line()
    {
        await using var second = NodeProcess.StartOn(node.DataDir);
        int code = await second.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, code);
        Assert.Empty(second.Stdout);
        string line = Assert.Single(second.Stderr);
        Assert.Equal($"fleetmerge-node: data directory {node.DataDir} is in use by another node (pid {node.Process.Pid} holds {node.DataDir}/node.lock)", line);

        // The first node did not notice.
        using var client = node.Client();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/node")).Status);
    }

    /// <summary>A body of <c>length</c> zero bytes that announces its length up front.</summary>
    private sealed class ZeroContent : HttpContent
    {
        private readonly long length;

        public ZeroContent(long length)
        {
            this.length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new byte[64 * 1024];
            for (long left = length; left > 0; left -= buffer.Length)
                await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = this.length;
            return true;
        }
    }
}
