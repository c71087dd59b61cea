using FleetMerge.Host.Fleet.Hooks;

namespace FleetMerge.Host.Fleet;

/// <summary>
/// What kind of host the fleet host actor fronts (immutable; each actor instance builds its
/// <see cref="HostMachine"/> from it): its hooks, how it measures free space, its faults, and
/// either the node's own host agent (<see cref="External"/>) or an agent it owns (<see cref="Owned"/>).
/// </summary>
public sealed record HostPlatform(IHostHooks Hooks, Func<HostCatalog, long> FreeBytes, HostFaults Faults, ExternalAgent? External, OwnedAgent? Owned)
{
    public bool Simulated => Owned is not null;
}

/// <summary>The node's host agent, started by the node; the fleet host actor only asks it.</summary>
public sealed record ExternalAgent(Akka.Actor.IActorRef Agent, HostCatalog Catalog);

/// <summary>
/// A host agent the fleet host actor starts (and restarts at a reboot) on <see cref="VgsDirectory"/>;
/// <see cref="Provision"/> runs after every start once the groups are loaded (a simulated host creates
/// its volume on the first one) and returns a note for the log, or null.
/// </summary>
public sealed record OwnedAgent(string VgsDirectory, VolumeActorSettings Volumes, Func<AgentHandle, CancellationToken, Task<string?>> Provision);
