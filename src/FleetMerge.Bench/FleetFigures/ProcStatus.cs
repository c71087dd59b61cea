using System.Globalization;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// A process's memory as the kernel counts it (/proc/PID/status): VmRSS, the resident set now, and
/// VmHWM, its high-water mark since the start. Both in KiB, as the file gives them.
/// </summary>
public sealed record ProcMemory(long RssKiB, long PeakRssKiB)
{
    public double RssMiB => RssKiB / 1024.0;

    public double PeakRssMiB => PeakRssKiB / 1024.0;

    public static ProcMemory Of(int pid)
    {
        string path = $"/proc/{pid}/status";
        try { return Parse(File.ReadAllText(path)); }
        catch (IOException e) { throw new InvalidOperationException($"{path}: cannot read it ({e.Message}): the process is gone", e); }
    }

    /// <summary>Reads "VmRSS:  256500 kB" and "VmHWM: …" out of the status text.</summary>
    public static ProcMemory Parse(string status)
    {
        long Field(string name)
        {
            string? line = status.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new FormatException($"/proc status: no {name} line");
            string[] parts = line[(name.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[1] != "kB") throw new FormatException($"/proc status: '{line}' is not '{name}: N kB'");
            return long.Parse(parts[0], CultureInfo.InvariantCulture);
        }
        return new ProcMemory(Field("VmRSS"), Field("VmHWM"));
    }
}
