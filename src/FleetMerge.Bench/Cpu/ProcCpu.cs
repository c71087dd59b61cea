using System.Globalization;

namespace FleetMerge.Bench.Cpu;

/// <summary>
/// CPU time a living process has used so far, as the kernel counts it: utime + stime from
/// /proc/PID/stat, in clock ticks of 1/100 s (USER_HZ, which Linux exports as 100 whatever the
/// kernel's own tick rate). Coarse, so a figure sums it over several runs.
/// </summary>
public static class ProcCpu
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        string path = $"/proc/{pid}/stat";
        try { return Parse(File.ReadAllText(path)); }
        catch (IOException e) { throw new InvalidOperationException($"{path}: cannot read it ({e.Message}): the process is gone", e); }
    }

    /// <summary>
    /// Fields 14 and 15 (utime, stime) of a stat line. The command name (field 2) is in
    /// parentheses and may hold spaces or parentheses itself, so the fields are counted from the last ')'.
    /// </summary>
    public static TimeSpan Parse(string stat)
    {
        int end = stat.LastIndexOf(')');
        if (end < 0) throw new FormatException("/proc stat: no ')' after the command name");
        // After ")": field 3 (state) is the first, so utime (14) and stime (15) are the 12th and 13th.
        string[] fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13) throw new FormatException($"/proc stat: {fields.Length + 2} fields, expected at least 15");
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
