using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetMerge.Node.Api;

/// <summary>
/// GET /api/v1/health: ASP.NET Core health checks, which Akka.Hosting registers: actor system
/// liveness, cluster readiness, SQL journal and snapshot store (plugin and connectivity).
/// 200 when all are healthy, 503 otherwise; the body lists every check.
/// </summary>
public static class HealthEndpoints
{
    public sealed record HealthReportBody(string Status, double DurationMs, IReadOnlyList<HealthCheckBody> Checks);

    public sealed record HealthCheckBody(string Name, string Status, string? Description, double DurationMs, IReadOnlyList<string> Tags);

    public static RouteGroupBuilder MapHealthEndpoints(this RouteGroupBuilder api)
    {
        api.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return api;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthReportBody(
            Name(report.Status),
            Math.Round(report.TotalDuration.TotalMilliseconds, 3),
            [.. report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new HealthCheckBody(
                e.Key, Name(e.Value.Status), e.Value.Description ?? e.Value.Exception?.Message,
                Math.Round(e.Value.Duration.TotalMilliseconds, 3), [.. e.Value.Tags.Order(StringComparer.Ordinal)]))]);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ApiJson.Options, context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
