using System.Net;
using System.Net.Http.Headers;
using FleetMerge.Node.Tests.EndToEnd;
using FleetMerge.Node.Tests.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// A real node merging a snapshot at 4 MiB/s (--merge-max-rate), so the merge takes seconds: its
/// metrics endpoint shows the COW use of the snapshot before the merge, the copy counters moving and
/// one merge running during it, and the totals after it. Every scrape carries the token; without it, 401.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class MergeMetricsTests(ITestOutputHelper output)
{
    private const int MiB = 1 << 20;
    private const int Written = 32 * MiB;
    private const long CowSize = 48 * MiB;
    private const string HostId = "metrics-node";

    [Fact]
    public async Task A_merge_moves_the_copy_counters_and_shows_as_running_until_it_ends()
    {
        await using var e2e = await EndToEndNode.StartAsync("--host-id", HostId, "--merge-max-rate", "4M");
        e2e.Ok("vg", "create", "vg0");
        e2e.Ok("lv", "create", "vg0/root", "--size", "64M");
        e2e.Ok("lv", "snapshot", "vg0/root", "--name", "pre", "--size", "48M");
        e2e.Write("vg0/root", 0, EndToEndNode.Random(new Random(6), Written));

        // Before: the snapshot's COW holds the 8192 chunks the write displaced (and its metadata).
        var before = await MetricsEndpoint.ScrapeAsync(e2e);
        output.WriteLine($"before the merge:\n{before}");
        string[] pre = [$"host={HostId}", "vg=vg0", "lv=pre", "origin=root"];
        double allocated = Assert.IsType<double>(before.Value("fleetmerge_cow_allocated_bytes", pre));
        Assert.InRange(allocated, Written, CowSize);
        Assert.Equal((double)CowSize, before.Value("fleetmerge_cow_size_bytes", pre));
        Assert.Equal(allocated / CowSize, Assert.IsType<double>(before.Value("fleetmerge_cow_used_ratio", pre)), 6);
        Assert.Equal(0.0, before.ValueOrZero("fleetmerge_merges_running"));
        Assert.Equal(0.0, before.ValueOrZero("fleetmerge_merge_copied_bytes_total"));

        Assert.Equal("Merging of volume vg0/pre started.\n", e2e.Ok("lv", "merge", "vg0/pre", "--background").Stdout);

        // During: two scrapes, both with the merge running, the second with more bytes copied.
        Scrape? first = null;
        await Eventually.Until("a scrape with the merge running and bytes copied", async () =>
        {
            first = await MetricsEndpoint.ScrapeAsync(e2e);
            return (first.ValueOrZero("fleetmerge_merges_running") == 1 && first.ValueOrZero("fleetmerge_merge_copied_bytes_total") > 0, first.ToString());
        });
        double copiedFirst = first!.ValueOrZero("fleetmerge_merge_copied_bytes_total");
        output.WriteLine($"during the merge (1):\n{first}");
        Assert.InRange(copiedFirst, 1, Written - 1);

        Scrape? second = null;
        await Eventually.Until("a later scrape with more bytes copied", async () =>
        {
            second = await MetricsEndpoint.ScrapeAsync(e2e);
            double copied = second.ValueOrZero("fleetmerge_merge_copied_bytes_total");
            Assert.True(copied == copiedFirst || second.ValueOrZero("fleetmerge_merges_running") == 1,
                $"the merge ended between two scrapes, before a second one saw it copying:\n{second}");
            return (copied > copiedFirst, second.ToString());
        });
        output.WriteLine($"during the merge (2):\n{second}");
        Assert.Equal(1.0, second!.Value("fleetmerge_merges_running"));

        // After: nothing running, every displaced chunk copied once, the snapshot (and its COW gauges) gone.
        Scrape? after = null;
        await Eventually.Until("the merge has completed", async () =>
        {
            after = await MetricsEndpoint.ScrapeAsync(e2e);
            return (after.ValueOrZero("fleetmerge_merges_completed_total") == 1, after.ToString());
        });
        output.WriteLine($"after the merge:\n{after}");
        Assert.Equal(0.0, after!.Value("fleetmerge_merges_running"));
        Assert.Equal((double)Written, after.Value("fleetmerge_merge_copied_bytes_total"));
        Assert.Equal((double)(Written / 4096), after.Value("fleetmerge_merge_chunks_total"));
        Assert.Equal(0.0, after.ValueOrZero("fleetmerge_merges_failed_total"));
        Assert.Empty(after.All("fleetmerge_cow_allocated_bytes", $"host={HostId}"));
        Assert.Equal(["root"], e2e.Lvs("vg0").Select(r => r.GetProperty("name").GetString()));

        // The node's own gauges: a one-node cluster, up.
        Assert.Equal(1.0, after.Value("fleetmerge_cluster_members", "status=up"));
        Assert.Equal(0.0, after.Value("fleetmerge_cluster_members_unreachable"));
    }

    [Fact]
    public async Task The_metrics_need_the_token_like_every_other_endpoint()
    {
        await using var e2e = await EndToEndNode.StartAsync("--host-id", HostId);
        var (status, body) = await MetricsEndpoint.ScrapeWithAsync(e2e, null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("missing bearer token", body);
        Assert.DoesNotContain("fleetmerge_", body);

        (status, body) = await MetricsEndpoint.ScrapeWithAsync(e2e, new AuthenticationHeaderValue("Bearer", "not-the-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("wrong bearer token", body);

        (status, body) = await MetricsEndpoint.ScrapeWithAsync(e2e, new AuthenticationHeaderValue("Bearer", e2e.Token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE fleetmerge_cluster_members gauge", body);
    }

    [Fact]
    public async Task The_metrics_answer_only_GET_like_every_other_endpoint_answers_only_its_methods()
    {
        // Found by ops/torture.sh --only api-abuse: DELETE /api/v1/metrics answered 200 with a scrape.
        await using var e2e = await EndToEndNode.StartAsync("--host-id", HostId);
        using var http = e2e.Http();
        foreach (var method in new[] { HttpMethod.Delete, HttpMethod.Post, HttpMethod.Put })
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, MetricsEndpoint.Path));
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {MetricsEndpoint.Path}: {(int)response.StatusCode} {body}");
            Assert.Contains("is not allowed", body);
            Assert.DoesNotContain("fleetmerge_", body);
        }
        var (status, scrape) = await MetricsEndpoint.ScrapeWithAsync(e2e, new AuthenticationHeaderValue("Bearer", e2e.Token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE fleetmerge_cluster_members gauge", scrape);
    }
}
