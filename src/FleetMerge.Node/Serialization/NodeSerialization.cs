using System.Collections.Immutable;
using Akka.Hosting;
using Akka.Serialization;
using FleetMerge.Protocol;

namespace FleetMerge.Node.Serialization;

/// <summary>Binds <see cref="JsonPersistedSerializer"/> to <see cref="IPersisted"/> (and <see cref="JsonWireSerializer"/> to <see cref="IWireMessage"/>), with Akka.Hosting or as an ActorSystemSetup (tests).</summary>
public static class NodeSerialization
{
    public static AkkaConfigurationBuilder WithPersistedSerializer(this AkkaConfigurationBuilder builder, ManifestRegistry registry) =>
        builder.WithCustomSerializer(JsonPersistedSerializer.Alias, [typeof(IPersisted)], system => new JsonPersistedSerializer(system, registry));

    /// <summary>Messages between nodes (<see cref="IWireMessage"/>) through <see cref="JsonWireSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithWireSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(JsonWireSerializer.Alias, [typeof(IWireMessage)], system => new JsonWireSerializer(system, WireManifests.Registry));

    /// <summary>For an ActorSystem built from HOCON: <c>BootstrapSetup.Create().WithConfig(c).And(NodeSerialization.Setup(registry))</c>.</summary>
    public static SerializationSetup Setup(ManifestRegistry registry) =>
        SerializationSetup.Create(system => ImmutableHashSet.Create(
            SerializerDetails.Create(JsonPersistedSerializer.Alias, new JsonPersistedSerializer(system, registry), ImmutableHashSet.Create(typeof(IPersisted)))));
}
