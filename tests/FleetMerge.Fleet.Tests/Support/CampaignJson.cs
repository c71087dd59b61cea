using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>The node's persisted-type JSON settings (FleetMerge.Node JsonPersistedSerializer.Options), for round trips without the node.</summary>
public static class CampaignJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = false,
    };

    public static string Write(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static object Read(string json, Type type) => JsonSerializer.Deserialize(json, type, Options)!;

    /// <summary>Serialises, reads back, serialises again: both texts must be equal for a faithful round trip.</summary>
    public static (string First, string Second) RoundTrip(object value)
    {
        string first = Write(value);
        return (first, Write(Read(first, value.GetType())));
    }
}
