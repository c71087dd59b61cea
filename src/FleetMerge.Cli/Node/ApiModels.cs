using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Cli.Node;

/// <summary>
/// The node API's JSON as the CLI reads and writes it: snake_case names. Reading is lenient
/// (fields the CLI does not know are ignored, so a newer node still works); requests carry
/// exactly the documented properties, because the node refuses unknown ones.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>For <c>--json</c>: the node's objects as they came, indented, names untouched.</summary>
    public static readonly JsonSerializerOptions Print = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(JsonElement element) => Console.Out.WriteLine(JsonSerializer.Serialize(element, Print));
}

/// <summary>GET /vgs row.</summary>
public sealed record VgRow(string Name, string? Uuid, int Volumes, int ActiveVolumes);

/// <summary>One lvs row (GET /lvs), also the answer of every call that creates or changes a volume.</summary>
public sealed record LvRow(
    string Name,
    string Vg,
    string? Attr,
    long SizeBytes,
    string? Origin,
    double? DataPercent,
    double? MergePercent,
    string? Uuid,
    int? Minor)
{
    /// <summary>lv_attr's fifth character is the state: '-' inactive, 'a' active, 'I' invalid, 'm' merge failed.</summary>
    [JsonIgnore]
    public bool Active => Attr is { Length: >= 5 } a && a[4] != '-';
}

/// <summary>POST/GET …/merge and every event of …/merge/events.</summary>
public sealed record MergeState(
    string? Vg,
    string? Snapshot,
    string? Origin,
    string? Mode,
    string? State,
    double? Percent,
    long? MergedExceptions,
    long? InitialExceptions,
    string? Status,
    bool SnapshotRemoved,
    string? Error)
{
    [JsonIgnore]
    public bool IsTerminal => State is "complete" or "failed" or "stopped";

    /// <summary>Whatever else the node sends, kept so that --json passes it on.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>The documented request bodies.</summary>
public static class ApiRequests
{
    public sealed record CreateVg(string Name);
    public sealed record CreateLv(string Name, long SizeBytes);
    public sealed record CreateSnapshot(string Name, long SizeBytes, long ChunkBytes);
    public sealed record Rename(string NewName);
    public sealed record StartMerge(string Mode);
}
