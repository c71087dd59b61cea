using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using FleetMerge.Node.Serialization;
using FleetMerge.Protocol;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>
/// The serializers a node binds (NodeAkka: WithPersistedSerializer + WithWireSerializer) for an
/// ActorSystem built from HOCON: the journal JSON for IPersisted, the wire JSON for IWireMessage.
/// One SerializationSetup with both: a second one given to ActorSystemSetup.And would replace the first.
/// </summary>
public static class NodeSerializers
{
    public static ActorSystemSetup Setup(Config config) =>
        BootstrapSetup.Create().WithConfig(config).And(SerializationSetup.Create(system => ImmutableHashSet.Create(
            SerializerDetails.Create(JsonPersistedSerializer.Alias, new JsonPersistedSerializer(system, PersistedManifests.Registry), ImmutableHashSet.Create(typeof(IPersisted))),
            SerializerDetails.Create(JsonWireSerializer.Alias, new JsonWireSerializer(system, WireManifests.Registry), ImmutableHashSet.Create(typeof(IWireMessage))))));
}
