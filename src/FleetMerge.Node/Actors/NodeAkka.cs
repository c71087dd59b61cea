using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Settings;
using FleetMerge.Node.Startup;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace FleetMerge.Node.Actors;

/// <summary>
/// The node's ActorSystem through Akka.Hosting. The configuration is layered, each layer
/// overriding the ones before it:
/// <list type="number">
/// <item>hocon/base.conf: cluster knobs the typed options lack (SBR stable-after, failure detector, shutdown);</item>
/// <item>typed options from <see cref="NodeSettings"/>: remoting, cluster roles + keep-majority SBR, SQL persistence, serializer;</item>
/// <item>hocon/sqlite.conf or hocon/postgres.conf: journal/snapshot tuning for that database;</item>
/// <item>--config FILE, if given (it wins over everything, e.g. akka.cluster.seed-nodes).</item>
/// </list>
/// A one-node cluster: with no seed nodes configured the node joins itself.
/// </summary>
public static class NodeAkka
{
    /// <summary>Every node of one cluster uses this ActorSystem name.</summary>
    public const string SystemName = "fleetmerge";

    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>The HOCON files in the order they are applied (later wins).</summary>
    public static IReadOnlyList<string> HoconFiles(NodeSettings settings)
    {
        var files = new List<string>
        {
            Path.Combine(HoconDirectory, "base.conf"),
            Path.Combine(HoconDirectory, settings.Persistence == PersistenceKind.Postgres ? "postgres.conf" : "sqlite.conf"),
        };
        if (settings.ConfigFile is { } extra) files.Add(extra);
        return files;
    }

    public static Config LoadHocon(string path)
    {
        if (!File.Exists(path)) throw new NodeStartupException($"{path}: HOCON file not found (hocon/*.conf belong next to the binary)");
        try { return ConfigurationFactory.ParseString(File.ReadAllText(path)); }
        catch (Exception e) when (e is not NodeStartupException)
        {
            throw new NodeStartupException($"{path}: not valid HOCON: {NodeCommandLine.OneLine(e.Message)}", e);
        }
    }

    public static IServiceCollection AddNodeAkka(this IServiceCollection services, NodeSettings settings, PersistenceTarget persistence)
    {
        var files = HoconFiles(settings);
        Config baseConf = LoadHocon(files[0]);
        Config persistenceConf = LoadHocon(files[1]);
        Config? extraConf = files.Count > 2 ? LoadHocon(files[2]) : null;
        // The volume groups under DATA_DIR/vgs: loaded by the host agent, read by the API.
        services.TryAddSingleton(new FleetMerge.Host.HostCatalog(settings.VgsDirectory));

        return services.AddAkka(SystemName, (builder, _) =>
        {
            builder
                .AddHocon(baseConf, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = AkkaLogLevel.InfoLevel;
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithRemoting(new RemoteOptions { HostName = settings.AkkaHost, Port = settings.AkkaPort })
                .WithClustering(new ClusterOptions
                {
                    Roles = [.. settings.Roles],
                    SplitBrainResolver = new KeepMajorityOption(),
                })
                .WithActorSystemLivenessCheck()
                .WithAkkaClusterReadinessCheck()
                .WithNodePersistence(persistence)
                .WithPersistedSerializer(PersistedManifests.Registry)
                .AddHocon(persistenceConf, HoconAddMode.Prepend);
            if (extraConf is not null) builder.AddHocon(extraConf, HoconAddMode.Prepend);

            builder
                .AddStartup((system, _) =>
                {
                    var cluster = Cluster.Get(system);
                    if (system.Settings.Config.GetStringList("akka.cluster.seed-nodes", []).Count == 0)
                        cluster.Join(cluster.SelfAddress);
                })
                .WithNodeActors(settings);
        });
    }
}
