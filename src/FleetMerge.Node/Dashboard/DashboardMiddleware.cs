using FleetMerge.Node.Settings;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Dashboard;

/// <summary>
/// Serves the dashboard's static files at / on nodes with the <c>api</c> role, before the bearer
/// token check: the shell holds no data and can do nothing until its login form has a token that
/// the API accepts (every API call of the page sends it). Anything that is not a dashboard file
/// goes on to the API and its token check.
/// </summary>
public sealed class DashboardMiddleware(RequestDelegate next, DashboardFiles files)
{
    /// <summary>Only this origin's files and API; no inline script, no framing, no referrer.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || files.Find(request.Path.Value ?? "") is not { } file)
        {
            await next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (request.Headers.IfNoneMatch.Contains(file.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = file.Bytes.Length;
        if (HttpMethods.IsGet(request.Method)) await context.Response.Body.WriteAsync(file.Bytes, context.RequestAborted);
    }
}

public static class DashboardApplicationExtensions
{
    /// <summary>The dashboard at /, on nodes with the <c>api</c> role; call it before the bearer token middleware.</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<NodeRuntime>().Settings.Roles.Contains(NodeRoles.Api))
            app.UseMiddleware<DashboardMiddleware>(DashboardFiles.Embedded);
        return app;
    }
}
