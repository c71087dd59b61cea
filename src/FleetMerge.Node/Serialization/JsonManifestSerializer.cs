using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// UTF-8 System.Text.Json with a string manifest from a <see cref="ManifestRegistry"/>: what the
/// journal (<see cref="JsonPersistedSerializer"/>) and the wire between nodes
/// (<see cref="JsonWireSerializer"/>) share. A payload never names a CLR type or assembly.
/// </summary>
public abstract class JsonManifestSerializer(
    ExtendedActorSystem system, ManifestRegistry registry, JsonSerializerOptions options, string alias, string unregistered, string unknownManifest)
    : SerializerWithStringManifest(system)
{
    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return registry.TryGetManifest(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{alias}: {o.GetType().FullName} {unregistered}");
    }

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!registry.TryGetType(manifest, out var type))
            throw new SerializationException($"{alias}: unknown manifest '{manifest}': {unknownManifest}");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, options)
                ?? throw new SerializationException($"{alias}: manifest '{manifest}': the payload is JSON null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"{alias}: manifest '{manifest}' ({type.Name}): the payload does not read: {e.Message}", e);
        }
    }
}
