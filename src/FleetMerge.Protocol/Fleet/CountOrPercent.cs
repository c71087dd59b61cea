using System.Globalization;

namespace FleetMerge.Protocol.Fleet;

/// <summary>
/// "10" or "25%": a wave size or a failure budget, as a count of hosts or a share of the campaign's
/// hosts. A percentage of N hosts is rounded up for wave sizes (a wave is never empty) and down for
/// failure budgets (a budget never allows more than the share asked for).
/// </summary>
public readonly record struct CountOrPercent(int Count, double? Percent)
{
    public static CountOrPercent Parse(string text, string what)
    {
        string s = (text ?? "").Trim();
        if (s.EndsWith('%'))
        {
            if (!double.TryParse(s[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) || p < 0 || p > 100)
                throw new FleetRequestException(FleetRequestException.BadRequest, $"{what} '{text}': a percentage must be between 0% and 100%");
            return new CountOrPercent(0, p);
        }
        if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new FleetRequestException(FleetRequestException.BadRequest, $"{what} '{text}': expected a count (10) or a percentage (25%)");
        return new CountOrPercent(n, null);
    }

    /// <summary>The count for a campaign of <paramref name="hosts"/> hosts, rounding a percentage up.</summary>
    public int AtLeast(int hosts) => Percent is { } p ? (int)Math.Ceiling(hosts * p / 100.0 - 1e-9) : Count;

    /// <summary>The count for a campaign of <paramref name="hosts"/> hosts, rounding a percentage down.</summary>
    public int AtMost(int hosts) => Percent is { } p ? (int)Math.Floor(hosts * p / 100.0 + 1e-9) : Count;

    public override string ToString() => Percent is { } p ? p.ToString(CultureInfo.InvariantCulture) + "%" : Count.ToString(CultureInfo.InvariantCulture);
}
