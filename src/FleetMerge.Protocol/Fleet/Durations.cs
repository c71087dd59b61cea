using System.Globalization;

namespace FleetMerge.Protocol.Fleet;

/// <summary>Durations as operators write them: 90s, 10m, 2h, 7d (also 1h30m); a bare number is seconds.</summary>
public static class Durations
{
    public static TimeSpan Parse(string? text, string what)
    {
        string s = (text ?? "").Trim().ToLowerInvariant();
        if (s.Length == 0) throw Bad(text, what);
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long bare)) return Checked(bare, 1, text, what);
        var total = TimeSpan.Zero;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start || i == s.Length) throw Bad(text, what);
            long n = long.Parse(s[start..i], CultureInfo.InvariantCulture);
            long unit = s[i] switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0) throw Bad(text, what);
            total += Checked(n, unit, text, what);
            i++;
        }
        return total;
    }

    /// <summary>The shortest of these forms that says the same: 45s, 10m, 2h, 1h30m, 7d.</summary>
    public static string Format(TimeSpan span)
    {
        long seconds = (long)span.TotalSeconds;
        if (seconds == 0) return "0s";
        var parts = new List<string>();
        foreach (var (unit, name) in new[] { (86400L, "d"), (3600L, "h"), (60L, "m"), (1L, "s") })
        {
            if (seconds < unit) continue;
            parts.Add($"{seconds / unit}{name}");
            seconds %= unit;
        }
        return string.Concat(parts);
    }

    private static TimeSpan Checked(long n, long unit, string? text, string what) =>
        n > 0 && n <= TimeSpan.MaxValue.TotalSeconds / unit / 2
            ? TimeSpan.FromSeconds(n * unit)
            : throw new FleetRequestException(FleetRequestException.BadRequest, $"{what} '{text}': must be above zero and sensible");

    private static FleetRequestException Bad(string? text, string what) =>
        new(FleetRequestException.BadRequest, $"{what} '{text}': expected a duration such as 90s, 10m, 2h, 7d");
}
