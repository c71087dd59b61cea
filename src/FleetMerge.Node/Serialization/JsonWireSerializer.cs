using System.Text.Json;
using Akka.Actor;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// The serializer for messages between nodes (bound to FleetMerge.Protocol.IWireMessage), with the
/// manifests of <see cref="WireManifests"/>. Property names as declared and dictionary keys
/// untouched (host labels are the operator's words).
/// </summary>
public sealed class JsonWireSerializer : JsonManifestSerializer
{
    /// <summary>Nodes of one cluster must agree on it: never change it.</summary>
    public const int SerializerId = 4202;

    public const string Alias = "fleetmerge-wire";

    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public JsonWireSerializer(ExtendedActorSystem system) : this(system, WireManifests.Registry) { }

    public JsonWireSerializer(ExtendedActorSystem system, ManifestRegistry registry)
        : base(system, registry, Options, Alias, "crosses nodes (IWireMessage) but has no manifest; add it to WireManifests",
            "no message type is registered for it in WireManifests (is the other node a different FleetMerge version?)") { }

    public override int Identifier => SerializerId;
}
