using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>What the fake APIs (vg/lv, cluster, fleet) share: a quiet Kestrel on 127.0.0.1 and a free port.</summary>
public static class FakeApiHost
{
    public static WebApplication Build(long? maxRequestBodySize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            if (maxRequestBodySize is { } max) k.Limits.MaxRequestBodySize = max;
        });
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/> (its routes mapped) and returns its base URL, "http://127.0.0.1:PORT".</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
