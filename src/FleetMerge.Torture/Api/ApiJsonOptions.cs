using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Torture.Api;

/// <summary>The API's JSON as a client sees it: snake_case names and enums (the node's own options are Linux-only by assembly).</summary>
public static class ApiJsonOptions
{
    public static JsonSerializerOptions Value { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
