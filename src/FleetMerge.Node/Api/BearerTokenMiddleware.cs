using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Api;

/// <summary>
/// Every request, whatever its path, carries <c>Authorization: Bearer TOKEN</c> with the token
/// from DIR/api-token; otherwise 401 with a JSON error and nothing else runs. Compared in
/// constant time.
/// </summary>
public sealed class BearerTokenMiddleware(RequestDelegate next, NodeRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        string? presented = null;
        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = header["Bearer ".Length..].Trim();

        if (!ApiToken.Matches(runtime.ApiToken, presented))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, presented is null
                ? "missing bearer token: send 'Authorization: Bearer TOKEN' with the token from the node's api-token file"
                : "wrong bearer token");
            return;
        }
        await next(context);
    }
}
