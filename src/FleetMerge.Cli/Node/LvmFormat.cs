using System.Globalization;
using System.Text;

namespace FleetMerge.Cli.Node;

/// <summary>How lvs/vgs print: human sizes, two-decimal percentages, space-aligned columns.</summary>
public static class LvmFormat
{
    private const string Units = "kmgtpe";

    /// <summary>
    /// lvs's default human size: the largest power-of-1024 unit that fits, two decimals, lower-case
    /// unit ("1.00g", "200.00m", "4.00k"); when two decimals cannot say it exactly the figure is
    /// rounded up and marked '&lt;' (the size is below what is shown), as lvs's "r" units do.
    /// </summary>
    public static string Size(long bytes)
    {
        if (bytes == 0) return "0";
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + "b";
        int unit = -1;
        decimal scale = 1;
        while (unit + 1 < Units.Length && bytes >= scale * 1024) { scale *= 1024; unit++; }
        decimal exact = bytes / scale;
        decimal shown = Math.Ceiling(exact * 100) / 100;
        return (shown != exact ? "<" : "") + shown.ToString("0.00", CultureInfo.InvariantCulture) + Units[unit];
    }

    /// <summary>Data% and Merge%: two decimals, blank when the node has none.</summary>
    public static string Percent(double? value) =>
        value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "";

    /// <summary>
    /// Columns as lvs lays them out: two spaces of indent, one space between columns, text
    /// left-aligned and numbers right-aligned, no trailing blanks.
    /// </summary>
    public static string Table(IReadOnlyList<(string Header, bool Right)> columns, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        int[] widths = columns.Select((c, i) => Math.Max(c.Header.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            var line = new StringBuilder("  ");
            for (int i = 0; i < columns.Count; i++)
            {
                if (i > 0) line.Append(' ');
                line.Append(columns[i].Right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        Line(columns.Select(c => c.Header).ToList());
        foreach (var row in all) Line(row);
        return text.ToString();
    }
}
