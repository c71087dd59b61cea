using System.Globalization;
using System.Text;

namespace FleetMerge.Host.Fleet;

/// <summary>Durations as operators write them in hooks.json and fault strings ("500ms", "90s", "30m", "2h", "1h30m").</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        string s = (text ?? "").Trim();
        if (s.Length == 0) return false;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start || !long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return false;
            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            TimeSpan part;
            try
            {
                part = s[unitStart..i] switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    _ => TimeSpan.MinValue,
                };
            }
            catch (OverflowException) { return false; }
            if (part == TimeSpan.MinValue) return false;
            duration += part;
        }
        return duration > TimeSpan.Zero;
    }

    public static TimeSpan Parse(string? text, string what) =>
        TryParse(text, out var d) ? d : throw new FormatException($"{what}: '{text}' is not a duration (like 500ms, 90s, 30m, 2h)");

    /// <summary>"2s", "1m30s", "250ms": short and exact enough for a one-line detail.</summary>
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1)) return $"{(long)d.TotalMilliseconds}ms";
        var text = new StringBuilder();
        if (d.Days > 0 || d.Hours > 0) text.Append(CultureInfo.InvariantCulture, $"{(long)d.TotalHours}h");
        if (d.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{d.Minutes}m");
        if (d.Seconds > 0 || text.Length == 0) text.Append(CultureInfo.InvariantCulture, $"{d.Seconds}s");
        return text.ToString();
    }
}
