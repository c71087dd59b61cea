using System.Collections;
using Newtonsoft.Json;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// Messages between nodes go through Akka's default serializer (Newtonsoft.Json with type names),
/// which cannot read back the collections the C# compiler makes for collection expressions typed
/// as an interface (<c>[a, b]</c>, <c>[.. items]</c> as IReadOnlyList: <c>&lt;&gt;z__ReadOnlyArray</c>,
/// <c>&lt;&gt;z__ReadOnlyList</c>, …, which have no constructor it can use). The receiving node
/// dropped such a message (a HostList, a CampaignView, a HostStep…). This converter writes those
/// collections as plain JSON arrays, which the reader turns into a list of the declared element
/// type. Registered for every node in hocon/base.conf (akka.actor.serialization-settings.json.converters).
/// </summary>
public sealed class CompilerCollectionConverter : JsonConverter
{
    public override bool CanRead => false;

    public override bool CanConvert(Type objectType) =>
        objectType.Name.StartsWith("<>z__", StringComparison.Ordinal) && typeof(IEnumerable).IsAssignableFrom(objectType);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        writer.WriteStartArray();
        foreach (object? item in (IEnumerable)value!) serializer.Serialize(writer, item);
        writer.WriteEndArray();
    }

    public override object ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
        throw new NotSupportedException($"{objectType.Name} is written as a plain JSON array and read as the declared collection type");
}
