using System.Net;
using System.Net.Http.Headers;
using FleetMerge.Node.Tests.EndToEnd;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>GET /api/v1/metrics on a real node, as Prometheus does it (a bearer token in the Authorization header).</summary>
public static class MetricsEndpoint
{
    public const string Path = "api/v1/metrics";

    public static async Task<Scrape> ScrapeAsync(EndToEndNode node)
    {
        using var http = node.Http();
        using var response = await http.GetAsync(Path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {Path}: {(int)response.StatusCode} {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Scrape.Parse(body);
    }

    /// <summary>The status and body of a scrape with the given Authorization header (none when null).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ScrapeWithAsync(EndToEndNode node, AuthenticationHeaderValue? authorization)
    {
        using var http = new HttpClient { BaseAddress = new Uri(node.Api), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = authorization;
        using var response = await http.GetAsync(Path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
