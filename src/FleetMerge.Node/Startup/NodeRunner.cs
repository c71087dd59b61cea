using Akka.Actor;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Api;
using FleetMerge.Node.Observability;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Settings;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FleetMerge.Node.Startup;

/// <summary>
/// Starts a node: data directory, lock, token, persistence check, then ASP.NET Core + Akka in one
/// Generic Host. Prints exactly one line to <c>readyOut</c> (stdout) when ready; logs go to stderr. SIGTERM or
/// Ctrl-C stop it through the host (Akka's coordinated shutdown), exit code 0.
/// Exit codes: 0 stopped cleanly, 2 bad option (Program), 3 could not start.
/// </summary>
public static class NodeRunner
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitStartFailed = 3;

    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(NodeSettings settings, TextWriter readyOut)
    {
        DataDirLock? dataLock = null;
        try
        {
            try { Directory.CreateDirectory(settings.DataDir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NodeStartupException($"cannot create the data directory {settings.DataDir}: {e.Message}");
            }
            try { dataLock = DataDirLock.Acquire(settings.DataDir, settings.LockFilePath); }
            catch (DataDirLockedException e) { throw new NodeStartupException(e.Message); }

            string token;
            try { token = ApiToken.LoadOrCreate(settings.TokenFilePath); }
            catch (ApiTokenException e) { throw new NodeStartupException(e.Message); }

            var persistence = await NodePersistence.PrepareAsync(settings, CancellationToken.None);
            var runtime = new NodeRuntime(settings, persistence, token, NodeAkka.HoconFiles(settings));
            return await RunHostAsync(runtime, readyOut);
        }
        catch (NodeStartupException e)
        {
            Console.Error.WriteLine($"fleetmerge-node: {e.Message}");
            return ExitStartFailed;
        }
        finally
        {
            dataLock?.Dispose();
        }
    }

    private static async Task<int> RunHostAsync(NodeRuntime runtime, TextWriter readyOut)
    {
        var settings = runtime.Settings;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Logging.AddNodeConsole(settings.LogFormat);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.Listen(settings.ApiBind, settings.ApiPort);
        });

        builder.Services.AddSingleton(runtime);
        builder.Services.AddNodeApi();
        builder.Services.AddNodeMetrics();
        builder.Services.AddNodeAkka(settings, runtime.Persistence);

        await using var app = builder.Build();
        app.UseNodeApi();

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FleetMerge.Node");
        try
        {
            await app.StartAsync(lifetime.ApplicationStopping);
            var system = app.Services.GetRequiredService<ActorSystem>();
            await NodeReadiness.WaitAsync(system, ReadyTimeout, lifetime.ApplicationStopping);
            if (settings.Roles.Contains(NodeActors.HostRole))
                await NodeReadiness.WaitForVolumeGroupsAsync(app.Services.GetRequiredService<FleetMerge.Host.HostCatalog>(), ReadyTimeout, lifetime.ApplicationStopping);
            runtime.ApiAddress = ListeningAddress(app);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM / Ctrl-C during start-up: a normal stop.
            await StopQuietlyAsync(app);
            return ExitOk;
        }
        catch (Exception e)
        {
            string message = e switch
            {
                NodeStartupException => e.Message,
                IOException when e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase) =>
                    $"the API cannot listen on {settings.ApiBind}:{settings.ApiPort}: {NodeCommandLine.OneLine(e.Message)}",
                _ => $"start-up failed: {e.GetType().Name}: {NodeCommandLine.OneLine(e.Message)}",
            };
            logger.LogError(e, "start-up failed: {Message}", message);
            await StopQuietlyAsync(app);
            Console.Error.WriteLine($"fleetmerge-node: {message}");
            return ExitStartFailed;
        }

        readyOut.WriteLine(
            $"fleetmerge-node ready: api {runtime.ApiAddress} data {settings.DataDir} persistence {NodeSettings.PersistenceName(settings.Persistence)}");
        readyOut.Flush();
        logger.LogInformation("ready: api {Api}, data {DataDir}, persistence {Persistence} at {Location}, cluster address {Address}",
            runtime.ApiAddress, settings.DataDir, NodeSettings.PersistenceName(settings.Persistence), runtime.Persistence.Location,
            global::Akka.Cluster.Cluster.Get(app.Services.GetRequiredService<ActorSystem>()).SelfAddress);

        await app.WaitForShutdownAsync();
        return ExitOk;
    }

    private static string ListeningAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? throw new NodeStartupException("the API is not listening on any address");
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try { await app.StopAsync(CancellationToken.None); }
        catch (Exception) { /* already failing: the first error is the one to report */ }
    }
}
