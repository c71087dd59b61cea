using System.Text.Json;

namespace FleetMerge.Torture.Api;

/// <summary>What the node answered to one request: the status, the content type and the body.</summary>
public sealed record ApiAnswer(int Status, string? ContentType, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The <c>error</c> of an error body <c>{"error": "..."}</c>, or null when the body is not one.</summary>
    public string? Error
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(Body);
                return json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                    ? error.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public T Json<T>() => JsonSerializer.Deserialize<T>(Body, ApiJsonOptions.Value)
        ?? throw new InvalidOperationException($"HTTP {Status}: empty JSON body");

    /// <summary>For messages: the status and the first 200 characters of the body on one line.</summary>
    public override string ToString()
    {
        string text = Text.ReplaceLineEndings(" ");
        return $"{Status} {(text.Length > 200 ? text[..200] + "…" : text)}";
    }
}
