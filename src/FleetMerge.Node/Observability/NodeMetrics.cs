using FleetMerge.Fleet;
using FleetMerge.Host;
using FleetMerge.Node.Startup;
using FleetMerge.Storage.Volumes;
using OpenTelemetry.Metrics;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Resources;

namespace FleetMerge.Node.Observability;

/// <summary>
/// The Prometheus endpoint: OpenTelemetry collects the libraries' meters (merges, COW use, steps,
/// campaigns, hosts) and the node's own (cluster members), and the Prometheus exporter serves them
/// at GET /api/v1/metrics, behind the same bearer token as the rest of the API. Names and labels:
/// API.md, "Metrics".
/// </summary>
public static class NodeMetrics
{
    public const string Path = "/metrics";

    /// <summary>The meters the endpoint serves, one per library plus the node's.</summary>
    public static readonly IReadOnlyList<string> Meters =
        [MergeMetrics.MeterName, HostMetrics.MeterName, FleetMetrics.MeterName, ClusterMetrics.MeterName];

    public static IServiceCollection AddNodeMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ClusterMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fleetmerge-node", serviceVersion: NodeRuntime.Version))
            .WithMetrics(metrics => metrics
                .AddMeter([.. Meters])
                // A scrape sees the counters as they are now: no cached answer between two scrapes.
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>GET {group}/metrics: the Prometheus text format (the group's middleware, e.g. the token check, applies).</summary>
    public static IEndpointRouteBuilder MapNodeMetrics(this IEndpointRouteBuilder api)
    {
        // The cluster gauges exist once their owner does.
        api.ServiceProvider.GetRequiredService<ClusterMetrics>();
        // The exporter maps the path for every method; a scrape is a GET, anything else is 405 as elsewhere in the API.
        api.MapPrometheusScrapingEndpoint(Path).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return api;
    }
}
