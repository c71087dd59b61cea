using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Event;
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
/// <item>hocon/base.conf: knobs the typed options lack, the same on every node (SBR stable-after,
/// down-removal-margin, failure detector: the "fast" profile; shutdown);</item>
/// <item>typed options from <see cref="NodeSettings"/>: remoting, cluster roles + seed nodes +
/// keep-majority SBR, SQL persistence (and the fleet journal plugin), serializer;</item>
/// <item>hocon/sqlite.conf or hocon/postgres.conf: journal/snapshot tuning for that database;</item>
/// <item>hocon/fleet-postgres.conf with --fleet-postgres: tuning of the fleet journal plugin;</item>
/// <item>--cluster-config FILE, if given (the topology's akka settings, common to its nodes);</item>
/// <item>--config FILE, if given (it wins over everything, e.g. akka.cluster.seed-nodes).</item>
/// </list>
/// With no seed nodes configured the node joins itself (a one-node cluster); with seeds it joins them.
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
        if (settings.FleetPostgresConnectionString is not null) files.Add(Path.Combine(HoconDirectory, "fleet-postgres.conf"));
        if (settings.ClusterConfigFile is { } topology) files.Add(topology);
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
        // base.conf goes under the typed options, every later file over them, in order.
        var files = HoconFiles(settings);
        Config baseConf = LoadHocon(files[0]);
        var overTyped = files.Skip(1).Select(LoadHocon).ToList();
        if (settings.FleetPostgresConnectionString is not null && persistence.Fleet is null)
            throw new NodeStartupException("--fleet-postgres is set but the fleet journal was not prepared (NodePersistence.PrepareAsync)");
        // The volume groups under DATA_DIR/vgs: loaded by the host agent, read by the API.
        services.TryAddSingleton(new FleetMerge.Host.HostCatalog(settings.VgsDirectory, settings.HostId));

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
                    SeedNodes = [.. settings.SeedNodes],
                    SplitBrainResolver = new KeepMajorityOption(),
                })
                .WithActorSystemLivenessCheck()
                .WithAkkaClusterReadinessCheck()
                .WithNodePersistence(persistence);
            if (persistence.Fleet is { } fleet) builder.WithFleetPersistence(fleet);
            builder.WithPersistedSerializer(PersistedManifests.Registry).WithWireSerializer();
            foreach (var layer in overTyped) builder.AddHocon(layer, HoconAddMode.Prepend);

            builder
                .AddStartup((system, _) =>
                {
                    var cluster = Cluster.Get(system);
                    var seeds = system.Settings.Config.GetStringList("akka.cluster.seed-nodes", []);
                    if (seeds.Count == 0)
                        cluster.Join(cluster.SelfAddress);
                    else if (settings.Roles.Contains(NodeRoles.Coordinator) && settings.FleetJournalPluginId is null && settings.Persistence != PersistenceKind.Postgres)
                        system.Log.Warning("this coordinator node keeps the fleet journal in its own SQLite file ({0}): in a cluster, a singleton failover to another node would not see the campaigns; give every coordinator node --fleet-postgres", settings.JournalDbPath);
                })
                .WithNodeActors(settings);
        });
    }
}
