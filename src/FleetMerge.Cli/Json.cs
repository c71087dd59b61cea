using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Cli;

public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}
