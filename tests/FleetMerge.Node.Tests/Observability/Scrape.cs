using System.Globalization;
using System.Text.RegularExpressions;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>One sample of the Prometheus text format: name, labels, value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() => $"{Name}{{{string.Join(',', Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// One scrape of GET /api/v1/metrics, parsed: enough of the text exposition format for the
/// samples the node writes (no escaped quotes in our label values, no timestamps).
/// </summary>
public sealed partial class Scrape(string text, IReadOnlyList<Sample> samples)
{
    public string Text { get; } = text;
    public IReadOnlyList<Sample> Samples { get; } = samples;

    public static Scrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(m.Groups["labels"].Value)) labels[label.Groups[1].Value] = label.Groups[2].Value;
            samples.Add(new Sample(m.Groups["name"].Value, labels, ParseValue(m.Groups["value"].Value)));
        }
        return new Scrape(text, samples);
    }

    /// <summary>The samples of metric <paramref name="name"/> whose labels include every one of <paramref name="labels"/> ("key=value").</summary>
    public IReadOnlyList<Sample> All(string name, params string[] labels) =>
        [.. Samples.Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is [var k, var v] && s.Labels.GetValueOrDefault(k) == v))];

    /// <summary>The value of the one sample that matches, or null when none does.</summary>
    public double? Value(string name, params string[] labels)
    {
        var found = All(name, labels);
        Assert.True(found.Count <= 1, $"{found.Count} samples of {name} {string.Join(' ', labels)}:\n{string.Join('\n', found)}");
        return found.Count == 0 ? null : found[0].Value;
    }

    /// <summary>The value, 0 when the series is absent (a counter nothing has added to yet).</summary>
    public double ValueOrZero(string name, params string[] labels) => Value(name, labels) ?? 0;

    public override string ToString() => string.Join('\n', Samples.Where(s => s.Name.StartsWith("fleetmerge_", StringComparison.Ordinal)));

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"")]
    private static partial Regex Label();
}
