namespace FleetMerge.Protocol;

/// <summary>
/// Anything that is written to a journal or a snapshot store and must be read back by later
/// versions of FleetMerge. The node binds its string-manifest JSON serializer to this interface,
/// so a persisted type never depends on CLR type or assembly names: each one has a stable
/// manifest string in the node's manifest registry (FleetMerge.Node.Serialization.PersistedManifests).
/// Use one of the two sub-interfaces, not this one directly.
/// </summary>
public interface IPersisted;

/// <summary>A journal event. Declare events as records, one marker per protocol, e.g.
/// <c>public interface IVolumeEvent : IPersistedEvent;</c> and
/// <c>public sealed record VolumeCreated(string Vg, string Name, long SizeBytes) : IVolumeEvent;</c></summary>
public interface IPersistedEvent : IPersisted;

/// <summary>The state an actor saves with SaveSnapshot (an Akka snapshot, not a COW snapshot).</summary>
public interface IPersistedSnapshot : IPersisted;
