using System.Globalization;
using System.Text;

namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// Durations as operators write them, on the command line, in the API, in hooks.json and in fault
/// strings: 500ms, 90s, 10m, 2h, 7d, 1w, and sums such as 1h30m. A bare number is refused (seconds
/// or minutes? the operator should say).
/// </summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        string s = (text ?? "").Trim().ToLowerInvariant();
        if (s.Length == 0) return false;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start || !long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            long unitMs = s[unitStart..i] switch
            {
                "ms" => 1, "s" => 1_000, "m" => 60_000, "h" => 3_600_000, "d" => 86_400_000, "w" => 604_800_000, _ => 0,
            };
            // Beyond ~100 years is a typo, not a timeout.
            if (unitMs == 0 || n > 3_155_760_000_000L / unitMs) return false;
            duration += TimeSpan.FromMilliseconds(n * unitMs);
            if (duration.TotalDays > 36_525) return false;
        }
        return duration > TimeSpan.Zero;
    }

    /// <summary>Parses <paramref name="text"/>, or a bad-request refusal naming <paramref name="what"/>.</summary>
    public static TimeSpan Parse(string? text, string what) =>
        TryParse(text, out var d)
            ? d
            : throw new FleetRequestException(FleetRequestException.BadRequest, $"{what} '{text}': expected a duration such as 500ms, 90s, 10m, 2h, 7d");

    /// <summary>"250ms", "2s", "1m30s", "2h", "7d": short and exact enough for a one-line detail.</summary>
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1)) return $"{(long)d.TotalMilliseconds}ms";
        var text = new StringBuilder();
        if (d.Days > 0) text.Append(CultureInfo.InvariantCulture, $"{d.Days}d");
        if (d.Hours > 0) text.Append(CultureInfo.InvariantCulture, $"{d.Hours}h");
        if (d.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{d.Minutes}m");
        if (d.Seconds > 0 || text.Length == 0) text.Append(CultureInfo.InvariantCulture, $"{d.Seconds}s");
        return text.ToString();
    }
}
