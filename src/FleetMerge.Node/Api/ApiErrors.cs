using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Actor;
using FleetMerge.Storage;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Node.Api;

/// <summary>Every error response body: <c>{"error": "one line naming the problem"}</c>.</summary>
public sealed record ErrorBody(string Error);

/// <summary>Thrown by endpoint code for API-level refusals (bad parameter 400, unknown thing 404, conflict 409).</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static ApiException Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}

/// <summary>
/// The one mapping from exceptions to HTTP errors, used by <see cref="ErrorHandlingMiddleware"/>.
/// Endpoints just let domain exceptions through: the engine's StorageException subclasses map as
/// in <see cref="StorageStatus"/>. A new StorageException subclass gets a line there; until it
/// does, its name decides (…NotFound… 404, …Exists…/…Busy…/…Conflict… 409, else 500).
/// </summary>
public static partial class ApiErrors
{
    private static readonly Dictionary<Type, int> StorageStatus = new()
    {
        // The request itself is wrong.
        [typeof(BadRequestException)] = StatusCodes.Status400BadRequest,
        [typeof(BadNameException)] = StatusCodes.Status400BadRequest,
        // No such volume or group.
        [typeof(VolumeNotFoundException)] = StatusCodes.Status404NotFound,
        // Refused by the current state of the volume, the snapshot or the merge rules.
        [typeof(VolumeExistsException)] = StatusCodes.Status409Conflict,
        [typeof(VolumeBusyException)] = StatusCodes.Status409Conflict,
        [typeof(VolumeInactiveException)] = StatusCodes.Status409Conflict,
        [typeof(MergeRuleException)] = StatusCodes.Status409Conflict,
        [typeof(SnapshotInvalidException)] = StatusCodes.Status409Conflict,
        [typeof(SnapshotOverflowException)] = StatusCodes.Status409Conflict,
        // The file system is full: nothing was created or written.
        [typeof(NoSpaceException)] = StatusCodes.Status507InsufficientStorage,
        // The node's own data is broken or its I/O failed: not the caller's fault.
        [typeof(StoreFormatException)] = StatusCodes.Status500InternalServerError,
        [typeof(GroupMetadataException)] = StatusCodes.Status500InternalServerError,
        [typeof(MergeFailedException)] = StatusCodes.Status500InternalServerError,
    };

    /// <summary>The status and the one-line message for <paramref name="exception"/>.</summary>
    public static (int Status, string Message) Describe(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Message),
        FleetMerge.Protocol.Fleet.FleetRequestException fleet => (fleet.Kind switch
        {
            FleetMerge.Protocol.Fleet.FleetRequestException.NotFound => StatusCodes.Status404NotFound,
            FleetMerge.Protocol.Fleet.FleetRequestException.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        }, fleet.Message),
        // The journal failed: the volume actor stopped and says what became of the change.
        FleetMerge.Host.VolumeJournalException journal => (StatusCodes.Status500InternalServerError, journal.Message),
        StorageException storage => (StatusFor(storage), storage.Message),
        BadHttpRequestException bad => (bad.StatusCode, DescribeBadRequest(bad)),
        JsonException json => (StatusCodes.Status400BadRequest, JsonProblem(json)),
        AskTimeoutException => (StatusCodes.Status503ServiceUnavailable, "the node did not answer in time (actor ask timed out)"),
        _ => (StatusCodes.Status500InternalServerError, $"internal error: {exception.Message}"),
    };

    public static int StatusFor(StorageException exception)
    {
        for (var type = exception.GetType(); type is not null && type != typeof(Exception); type = type.BaseType)
            if (StorageStatus.TryGetValue(type, out int status)) return status;
        string name = exception.GetType().Name;
        if (name.Contains("NotFound", StringComparison.Ordinal)) return StatusCodes.Status404NotFound;
        if (name.Contains("Exists", StringComparison.Ordinal) || name.Contains("Busy", StringComparison.Ordinal) || name.Contains("Conflict", StringComparison.Ordinal))
            return StatusCodes.Status409Conflict;
        return StatusCodes.Status500InternalServerError;
    }

    private static string DescribeBadRequest(BadHttpRequestException bad) => bad switch
    {
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => $"request body too large: {bad.Message}",
        { InnerException: JsonException json } => JsonProblem(json),
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => "the request body must be JSON (Content-Type: application/json)",
        _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal)
            || bad.Message.Contains("was not provided from body", StringComparison.Ordinal) => "the request needs a JSON body",
        _ => bad.Message,
    };

    /// <summary>System.Text.Json's message without .NET type names, with the JSON path of the problem.</summary>
    public static string JsonProblem(JsonException json)
    {
        string message = json.Message;
        string at = json.Path is { Length: > 1 } path ? $" at {path}" : "";
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return $"invalid JSON body: unknown property '{unmapped.Groups[1].Value}'{at}";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"invalid JSON body: missing required property {missing.Groups[1].Value.TrimEnd('.')}";
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            // For records bound through their constructor, System.Text.Json names the record, not the property's type.
            string type = converted.Groups[1].Value;
            bool containerNamed = type.StartsWith("FleetMerge.", StringComparison.Ordinal) && at.Length > 0;
            return $"invalid JSON body: wrong type of value{at}" + (!containerNamed && Expected(type) is { } expected ? $", expected {expected}" : "");
        }
        if (message.Contains("doesn't allow null values", StringComparison.Ordinal) || message.Contains("does not allow null values", StringComparison.Ordinal))
            return $"invalid JSON body: null is not allowed{at}";
        string cleaned = TypeMention().Replace(message, "");
        return $"invalid JSON body: {FleetMerge.Node.Settings.NodeCommandLine.OneLine(cleaned)}";
    }

    private static string? Expected(string type) => type switch
    {
        "System.String" => "a string",
        "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt64" or "System.Int16" or "System.Byte" => "an integer",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.Guid" => "a UUID string",
        "System.DateTimeOffset" or "System.DateTime" => "an ISO 8601 date and time",
        _ when type.StartsWith("System.Collections", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array",
        _ when type.StartsWith("FleetMerge.", StringComparison.Ordinal) => "an object",
        _ => null,
    };

    [GeneratedRegex("could not be converted to ([^ ]+?)\\.? Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties including: (.*)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"\s*(?:contained in|on|for) type '[^']*'")]
    private static partial Regex TypeMention();

    /// <summary>An error response for endpoint code that returns rather than throws.</summary>
    public static IResult Result(int status, string message) => Results.Json(new ErrorBody(Escaped(message)), ApiJson.Options, statusCode: status);

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(Escaped(message)), ApiJson.Options, context.RequestAborted);
    }

    /// <summary>
    /// An error is one line even when it quotes what a caller sent (a name from the path with %0A in
    /// it): control characters are shown escaped, \n as the two characters backslash and n.
    /// </summary>
    public static string Escaped(string message)
    {
        if (!message.Any(char.IsControl)) return message;
        var text = new System.Text.StringBuilder(message.Length + 8);
        foreach (char c in message)
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return text.ToString();
    }
}
