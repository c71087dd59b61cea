using System.Text;
using Akka.Cluster;
using FleetMerge.Node.Api.Fleet;
using FleetMerge.Node.Observability;
using FleetMerge.Node.Dashboard;
using FleetMerge.Node.Settings;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;

namespace FleetMerge.Node.Api;

/// <summary>
/// The HTTP API: services, the middleware pipeline and the route table. Everything is under
/// /api/v1 and every request needs the bearer token. Each area maps its endpoints in its own
/// file (NodeEndpoints, HealthEndpoints, …); a new area is a new <c>MapXxxEndpoints</c> call in
/// <see cref="MapNodeApi"/>.
/// </summary>
public static class NodeApi
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddNodeApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        // Binding failures (malformed JSON, missing body, wrong content type) throw
        // BadHttpRequestException, so ErrorHandlingMiddleware answers them as JSON errors.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddHealthChecks();
        services.AddTransient<HostApi>();
        services.AddTransient<FleetApi>();
        return services;
    }

    public static WebApplication UseNodeApi(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Routing's own refusals (404 no such endpoint, 405 wrong method) get a JSON body too.
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            string message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such endpoint: {http.Request.Method} {http.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"method {http.Request.Method} is not allowed on {http.Request.Path}",
                StatusCodes.Status413PayloadTooLarge =>
                    $"request body too large: the limit is {http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes",
                StatusCodes.Status415UnsupportedMediaType => "the request body must be JSON (Content-Type: application/json)",
                int status => $"HTTP {status}",
            };
            await ApiErrors.WriteAsync(http, http.Response.StatusCode, message);
        });
        app.UseDashboard();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.Use(RejectOversizedBodies);
        app.UseRouting();
        app.MapNodeApi();
        return app;
    }

    /// <summary>The route table: one line per area.</summary>
    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup(Prefix);
        api.MapNodeEndpoints();
        api.MapHealthEndpoints();
        api.MapVgEndpoints();
        api.MapLvEndpoints();
        api.MapHostEndpoints();
        api.MapCampaignEndpoints();
        api.MapPolicyEndpoints();
        api.MapClusterEndpoints();
        api.MapNodeMetrics();
        api.MapFleetEventEndpoints();
        return routes;
    }

    /// <summary>A declared Content-Length over the limit is refused before anything reads the body (Kestrel enforces the same limit on chunked bodies).</summary>
    private static async Task RejectOversizedBodies(HttpContext context, RequestDelegate next)
    {
        long? limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength is { } length && length > max)
        {
            context.Response.Headers.Connection = "close";
            await ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"request body too large: {length} bytes, the limit is {max} bytes");
            return;
        }
        await next(context);
    }
}
