using Akka.Actor;
using Akka.Hosting;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// An ActorSystem with the node's own persistence, wired as <see cref="NodeAkka"/> wires it:
/// hocon/base.conf, Akka.Persistence.Sql on DATA_DIR/journal.db (SQLite, WAL) with the node's
/// serializer for persisted types, and hocon/sqlite.conf; without remoting, cluster or API, which
/// a volume actor's recovery does not touch.
/// </summary>
public sealed class NodeJournal : IAsyncDisposable
{
    private readonly IHost host;

    private NodeJournal(IHost host, string path)
    {
        this.host = host;
        Path = path;
    }

    public ActorSystem System => host.Services.GetRequiredService<ActorSystem>();

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    public static async Task<NodeJournal> StartAsync(string dataDir)
    {
        var settings = new NodeSettings { DataDir = dataDir };
        var target = await NodePersistence.PrepareAsync(settings, CancellationToken.None);
        var files = NodeAkka.HoconFiles(settings);
        var baseConf = NodeAkka.LoadHocon(files[0]);
        var sqliteConf = NodeAkka.LoadHocon(files[1]);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka("fleetmerge-bench", (akka, _) => akka
            .AddHocon(baseConf, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers => loggers.LogLevel = AkkaLogLevel.WarningLevel)
            .WithNodePersistence(target)
            .WithPersistedSerializer(PersistedManifests.Registry)
            .AddHocon(sqliteConf, HoconAddMode.Prepend));
        var host = builder.Build();
        await host.StartAsync();
        return new NodeJournal(host, settings.JournalDbPath);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
