using System.Globalization;
using System.Text.RegularExpressions;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// Where a failover's time goes, read from the surviving nodes' own logs: each milestone's Akka log
/// line carries a UTC timestamp ("[11/26/2026 03:35:27.946Z]"), placed relative to the moment of
/// the SIGKILL. The first occurrence after the kill counts.
/// </summary>
public static partial class FailoverTimeline
{
    /// <summary>Milestones in the order they happen, and the log text that marks each.</summary>
    public static readonly IReadOnlyList<(string Name, string Marker)> Milestones =
    [
        ("unreachable", "Marking node(s) as UNREACHABLE"),
        ("downed", "SBR took decision"),
        ("removed", "Leader is removing unreachable node"),
        ("singleton started", "Singleton manager started singleton actor"),
        ("coordinator recovered", "coordinator: campaign index recovered"),
        ("proxy found it", "Singleton identified at"),
    ];

    public static IReadOnlyList<string> Markers => [.. Milestones.Select(m => m.Marker)];

    [GeneratedRegex(@"\[(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.\d{3})Z\]")]
    private static partial Regex AkkaTimestamp();

    /// <summary>Seconds from <paramref name="killedUtc"/> to each milestone found in <paramref name="lines"/> (missing ones are left out).</summary>
    public static IReadOnlyList<(string Name, double Seconds)> Of(DateTime killedUtc, IEnumerable<string> lines)
    {
        var stamped = lines
            .Select(l => (Line: l, Match: AkkaTimestamp().Match(l)))
            .Where(x => x.Match.Success)
            .Select(x => (x.Line, At: DateTime.ParseExact(x.Match.Groups[1].Value, "MM/dd/yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)))
            .Where(x => x.At >= killedUtc)
            .ToList();
        var found = new List<(string, double)>();
        foreach (var (name, marker) in Milestones)
            if (stamped.Where(x => x.Line.Contains(marker, StringComparison.Ordinal)).Select(x => x.At).DefaultIfEmpty().Min() is var at && at != default)
                found.Add((name, (at - killedUtc).TotalSeconds));
        return found;
    }

    public static string Describe(IReadOnlyList<(string Name, double Seconds)> timeline) =>
        string.Join(", ", timeline.Select(t => $"{t.Name} +{t.Seconds:F2} s"));
}
