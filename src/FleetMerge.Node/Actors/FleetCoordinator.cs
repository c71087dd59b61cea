namespace FleetMerge.Node.Actors;

/// <summary>
/// ActorRegistry key of the coordinator as this node reaches it: the cluster-singleton proxy on
/// nodes with the <c>api</c> role (the singleton itself runs on the oldest node with the
/// <c>coordinator</c> role, wherever that is).
/// </summary>
public sealed class FleetCoordinator;
