using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// The serializer for everything persisted (bound to FleetMerge.Protocol.IPersisted): UTF-8
/// System.Text.Json, snake_case property names, enums as strings, and a string manifest from
/// <see cref="ManifestRegistry"/>. A journal row holds (serializer id 4201, manifest, JSON), never
/// a CLR type or assembly name, so types can be renamed or moved freely.
/// <para>Evolving an event: adding a property with a default is compatible (old rows read as the
/// default; unknown properties are ignored); renaming a property needs
/// <c>[JsonPropertyName("old_name")]</c>; anything else is a new type with a new ".vN" manifest.</para>
/// </summary>
public sealed class JsonPersistedSerializer : JsonManifestSerializer
{
    /// <summary>Stored in every journal and snapshot row: never change it.</summary>
    public const int SerializerId = 4201;

    /// <summary>The name the serializer is registered under in akka.actor.serializers.</summary>
    public const string Alias = "fleetmerge-json";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = false,
    };

    /// <summary>Used when the serializer is configured by class name in HOCON: the node's registry.</summary>
    public JsonPersistedSerializer(ExtendedActorSystem system) : this(system, PersistedManifests.Registry) { }

    public JsonPersistedSerializer(ExtendedActorSystem system, ManifestRegistry registry)
        : base(system, registry, Options, Alias, "is persisted (IPersisted) but has no manifest; add it to PersistedManifests",
            "no persisted type is registered for it in PersistedManifests (is this journal from a newer FleetMerge?)") { }

    public override int Identifier => SerializerId;
}
