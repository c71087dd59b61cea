namespace FleetMerge.Torture.Api;

/// <summary>
/// The check of a refusal: one of the expected statuses, never a 5xx, and a JSON body
/// <c>{"error": "..."}</c> of one non-empty line, naming the field when one is given.
/// </summary>
public static class AnswerCheck
{
    /// <summary>Null when the answer is right, else one line saying what is wrong.</summary>
    public static string? Refusal(ApiAnswer answer, string request, IReadOnlyCollection<int> statuses, string? names = null)
    {
        if (!statuses.Contains(answer.Status))
            return $"{request}: expected {string.Join(" or ", statuses)}, got {answer}";
        if (answer.ContentType != "application/json")
            return $"{request}: {answer.Status} with content type '{answer.ContentType}', expected application/json";
        if (answer.Error is not { } error)
            return $"{request}: {answer.Status} without an {{\"error\": ...}} body: {answer}";
        if (error.Length == 0 || error.Contains('\n') || error.Contains('\r'))
            return $"{request}: the error is not one line: {answer}";
        if (names is not null && !error.Contains(names, StringComparison.OrdinalIgnoreCase))
            return $"{request}: the error does not name '{names}': {answer}";
        return null;
    }

    public static string? Refusal(ApiAnswer answer, string request, int status, string? names = null) =>
        Refusal(answer, request, [status], names);
}
