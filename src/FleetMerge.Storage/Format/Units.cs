using System.Globalization;

namespace FleetMerge.Storage.Format;

/// <summary>Sizes as operators write them: 4096, 512K, 16M, 1G (powers of 1024, as LVM).</summary>
public static class Units
{
    public static long ParseSize(string text)
    {
        string s = text.Trim();
        if (s.Length == 0) throw new BadRequestException("size is empty");
        long multiplier = 1;
        char last = char.ToUpperInvariant(s[^1]);
        int unitIndex = "KMGTP".IndexOf(last);
        if (last == 'B' && s.Length > 1) { s = s[..^1]; last = char.ToUpperInvariant(s[^1]); unitIndex = "KMGTP".IndexOf(last); }
        if (unitIndex >= 0)
        {
            multiplier = 1L << (10 * (unitIndex + 1));
            s = s[..^1];
        }
        else if (last == 'S')
        {
            multiplier = Sectors.Size;
            s = s[..^1];
        }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw new BadRequestException($"size '{text}' is not a number with an optional K/M/G/T suffix");
        if (value > long.MaxValue / multiplier)
            throw new BadRequestException($"size '{text}' is too large");
        return value * multiplier;
    }

    public static string FormatSize(long bytes)
    {
        string[] units = ["", "K", "M", "G", "T", "P"];
        int i = 0;
        long v = bytes;
        while (i < units.Length - 1 && v != 0 && v % 1024 == 0) { v /= 1024; i++; }
        return v.ToString(CultureInfo.InvariantCulture) + units[i];
    }
}
