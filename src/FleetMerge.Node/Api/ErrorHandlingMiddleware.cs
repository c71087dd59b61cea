namespace FleetMerge.Node.Api;

/// <summary>Turns any exception an endpoint throws into <c>{"error": ...}</c> with the status from <see cref="ApiErrors"/>.</summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = ApiErrors.Describe(e);
            if (status >= 500) logger.LogError(e, "{Method} {Path} failed: {Message}", context.Request.Method, context.Request.Path, message);
            else logger.LogInformation("{Method} {Path}: {Status} {Message}", context.Request.Method, context.Request.Path, status, message);
            context.Response.Clear();
            await ApiErrors.WriteAsync(context, status, message);
        }
    }
}
