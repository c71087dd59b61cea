using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using FleetMerge.Fleet;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Fleet.Policies;
using FleetMerge.Host;
using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Simulated;
using FleetMerge.Node.Settings;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Actors;

/// <summary>
/// The node's actors, by role, registered in the ActorRegistry so endpoints get them with
/// <c>IRequiredActor&lt;TKey&gt;</c>:
/// <list type="bullet">
/// <item>every node: the coordinator's singleton proxy (<see cref="FleetCoordinator"/>): the API asks it, hosts report to it;</item>
/// <item><c>coordinator</c>: the coordinator itself, a cluster singleton (it runs on the oldest such node), journaling to the fleet journal;</item>
/// <item><c>host</c>: this machine's host agent and its fleet face, and the simulated hosts (--simulate-hosts).</item>
/// </list>
/// Persisted events and snapshot states also need a line in Serialization/PersistedManifests.cs.
/// </summary>
public static class NodeActors
{
    public const string HostRole = NodeRoles.Host;
    public const string CoordinatorName = "coordinator";

    public static AkkaConfigurationBuilder WithNodeActors(this AkkaConfigurationBuilder builder, NodeSettings settings)
    {
        builder.WithActors((system, registry) => registry.Register<PingActor>(system.ActorOf(PingActor.Props(), "ping")));

        var singleton = new ClusterSingletonOptions { Role = NodeRoles.Coordinator };
        if (settings.Roles.Contains(NodeRoles.Coordinator))
            builder.WithSingleton<FleetCoordinator>(CoordinatorName, CoordinatorProps(settings), singleton, createProxyToo: true);
        else
            builder.WithSingletonProxy<FleetCoordinator>(CoordinatorName, singleton);

        if (settings.Roles.Contains(HostRole))
        {
            // The host agent loads and activates every volume group under DATA_DIR/vgs and starts a
            // volume actor per origin; the API reads the same HostCatalog for lists and block I/O.
            // Its fleet face reports the host to the coordinator and runs campaign steps on it.
            builder.WithActors((system, registry, resolver) =>
            {
                var catalog = resolver.GetService<HostCatalog>();
                var volumes = VolumeSettings(settings);
                var agent = system.ActorOf(HostAgent.Props(catalog, volumes), "host");
                registry.Register<HostAgent>(agent);
                var coordinator = registry.Get<FleetCoordinator>();
                system.ActorOf(HostReportRelay.Props(), RequestHostReports.RelayName);
                system.ActorOf(FleetHostActor.ForNode(new FleetHostSettings(settings.HostId, settings.Labels, settings.DataDir), agent, catalog, coordinator),
                    $"fleet-host");
                if (settings.SimulateHosts > 0)
                    SimulatedFleet.Start(system, SimulatedFleetSettings(settings), volumes, coordinator);
            });
        }
        return builder;
    }

    /// <summary>The simulated hosts of this node; validated before the node starts (a bad fault string is a usage error).</summary>
    public static SimulatedFleetSettings SimulatedFleetSettings(NodeSettings settings) =>
        new(settings.SimulateHosts, settings.DataDir)
        {
            FirstNumber = settings.SimulateFirst,
            OriginBytes = settings.SimulateVolumeSizeBytes,
            CapacityBytes = Math.Max(Host.Fleet.Simulated.SimulatedFleetSettings.DefaultCapacityBytes, 16 * settings.SimulateVolumeSizeBytes),
            Faults = settings.SimulateFaults,
            ExtraLabels = new Dictionary<string, string> { ["node"] = settings.HostId },
        };

    private static VolumeActorSettings VolumeSettings(NodeSettings settings) =>
        VolumeActorSettings.Default with { MergeMaxBytesPerSecond = settings.MergeMaxBytesPerSecond };

    private static Props CoordinatorProps(NodeSettings settings)
    {
        string? journal = settings.FleetJournalPluginId, snapshots = settings.FleetSnapshotPluginId;
        var policies = PolicySchedulerSettings.Default with { JournalPluginId = journal, SnapshotPluginId = snapshots };
        return Coordinator.SupervisedProps(new CoordinatorSettings(
            Registry: CoordinatorSettings.Child(HostRegistryActor.Props(HostRegistrySettings.Default), "hosts"),
            PolicyScheduler: context => context.ActorOf(PolicySchedulerActor.Props(policies, context.Self), "policies"),
            JournalPluginId: journal,
            SnapshotPluginId: snapshots));
    }
}
