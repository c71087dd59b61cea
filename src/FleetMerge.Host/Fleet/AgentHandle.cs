using Akka.Actor;

namespace FleetMerge.Host.Fleet;

/// <summary>One incarnation of the host agent: the actor steps ask and the catalog they read (and write data through).</summary>
public sealed record AgentHandle(IActorRef Agent, HostCatalog Catalog, long Incarnation);
