using Akka.Actor;
using Akka.Hosting;
using FleetMerge.Host;
using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Actors;

/// <summary>
/// The extension point for the node's actors: start them here and register them in the
/// ActorRegistry, so endpoints get them with <c>IRequiredActor&lt;TKey&gt;</c>. Start each by role:
/// <code>
///   if (settings.Roles.Contains("host"))
///       builder.WithActors((system, registry, resolver) =&gt; registry.Register&lt;HostAgent&gt;(system.ActorOf(HostAgent.Props(...), "host")));
///   if (settings.Roles.Contains("coordinator"))
///       builder.WithSingleton&lt;Coordinator&gt;("coordinator", Coordinator.Props(), new ClusterSingletonOptions { Role = "coordinator" });
/// </code>
/// Persisted events and snapshot states also need a line in Serialization/PersistedManifests.cs.
/// </summary>
public static class NodeActors
{
    public const string HostRole = "host";

    public static AkkaConfigurationBuilder WithNodeActors(this AkkaConfigurationBuilder builder, NodeSettings settings)
    {
        builder.WithActors((system, registry) => registry.Register<PingActor>(system.ActorOf(PingActor.Props(), "ping")));
        if (settings.Roles.Contains(HostRole))
        {
            // The host agent loads and activates every volume group under DATA_DIR/vgs and starts a
            // volume actor per origin; the API reads the same HostCatalog for lists and block I/O.
            builder.WithActors((system, registry, resolver) =>
            {
                var catalog = resolver.GetService<HostCatalog>();
                var volumes = VolumeActorSettings.Default with { MergeMaxBytesPerSecond = settings.MergeMaxBytesPerSecond };
                registry.Register<HostAgent>(system.ActorOf(HostAgent.Props(catalog, volumes), "host"));
            });
        }
        return builder;
    }
}
