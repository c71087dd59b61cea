using System.Text.RegularExpressions;

namespace FleetMerge.Node.Settings;

/// <summary>
/// Operator labels, <c>key=value</c>: what campaign and policy selectors match (env=prod, rack=r1).
/// Keys: letters, digits, '.', '-', '_', '/', starting and ending with a letter or digit, at most 63
/// characters; values: letters, digits, '.', '-', '_', at most 63 characters, may be empty.
/// </summary>
public static partial class HostLabels
{
    public static IReadOnlyDictionary<string, string> Empty { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Parses every <c>key=value</c>; a malformed or repeated label is a <see cref="NodeUsageException"/> naming <paramref name="source"/>.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> labels, string source)
    {
        var parsed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in labels)
        {
            string label = raw.Trim();
            int eq = label.IndexOf('=');
            if (eq < 0) throw new NodeUsageException($"{source}: '{label}' is not a label (key=value)");
            string key = label[..eq].Trim();
            string value = label[(eq + 1)..].Trim();
            if (!Key().IsMatch(key))
                throw new NodeUsageException($"{source}: '{key}' is not a label key (letters, digits, '.', '-', '_', '/'; starting and ending with a letter or digit; at most 63)");
            if (!Value().IsMatch(value))
                throw new NodeUsageException($"{source}: '{value}' is not a value for label '{key}' (letters, digits, '.', '-', '_'; at most 63)");
            if (!parsed.TryAdd(key, value))
                throw new NodeUsageException($"{source}: label '{key}' is given twice");
        }
        return parsed;
    }

    /// <summary>The environment's form: labels separated by commas.</summary>
    public static IEnumerable<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex Key();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Value();
}
