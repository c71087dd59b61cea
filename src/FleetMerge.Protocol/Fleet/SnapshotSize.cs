using System.Globalization;

namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// The COW size a campaign or policy asks for: bytes ("200M", "1G", "4096"; powers of 1024 as LVM)
/// or a percentage of each origin's size ("20%"). Hosts turn it into bytes per origin.
/// </summary>
public readonly record struct SnapshotSize(long Bytes, double? Percent)
{
    public static SnapshotSize Parse(string? text)
    {
        string s = (text ?? "").Trim();
        if (s.Length == 0) throw Bad(text, "a size is required (200M, 1G or 20%)");
        if (s.EndsWith('%'))
        {
            if (!double.TryParse(s[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) || p <= 0 || p > 100)
                throw Bad(text, "a percentage of the origin must be above 0% and at most 100%");
            return new SnapshotSize(0, p);
        }
        long multiplier = 1;
        char last = char.ToUpperInvariant(s[^1]);
        int unit = "KMGT".IndexOf(last);
        if (unit >= 0) { multiplier = 1L << (10 * (unit + 1)); s = s[..^1]; }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) || v <= 0 || v > long.MaxValue / multiplier)
            throw Bad(text, "expected a positive number with an optional K/M/G/T suffix, or a percentage (20%)");
        return new SnapshotSize(v * multiplier, null);
    }

    /// <summary>The COW bytes for an origin of <paramref name="originBytes"/> bytes.</summary>
    public long For(long originBytes) => Percent is { } p ? (long)Math.Ceiling(originBytes * p / 100.0) : Bytes;

    private static FleetRequestException Bad(string? text, string why) =>
        new(FleetRequestException.BadRequest, $"snapshot size '{text}': {why}");
}
