using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace FleetMerge.Bench;

/// <summary>One measured figure, its baseline from the same run, the ratio and the issue's target.</summary>
public sealed record Figure(string Name, double Value, string Unit, double Baseline, double Ratio, double Target, bool Met);

public static class Figures
{
    /// <summary>Targets (ratio to baseline, lower is better) set by the storage-engine issue.</summary>
    private static readonly Dictionary<string, double> Targets = new()
    {
        ["origin first-write, 1 snapshot"] = 3.0,
        ["origin first-write, 4 snapshots"] = 3.0,
        ["origin rewrite of copied chunks, 1 snapshot"] = 1.15,
        ["snapshot read, all chunks in COW"] = 1.1,
        ["snapshot read, half in COW (64K runs)"] = 1.1,
    };

    public static List<Figure> From(IEnumerable<Summary> summaries)
    {
        var figures = new List<Figure>();
        foreach (var summary in summaries)
        {
            var baseline = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.Baseline);
            double baseMs = baseline.ResultStatistics!.Median / 1e6;
            foreach (var report in summary.Reports)
            {
                if (report.BenchmarkCase.Descriptor.Baseline || report.ResultStatistics is null) continue;
                string name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                double ms = report.ResultStatistics.Median / 1e6;
                double target = Targets.GetValueOrDefault(name, double.NaN);
                double ratio = ms / baseMs;
                figures.Add(new Figure(name, Math.Round(ms, 1), "ms", Math.Round(baseMs, 1), Math.Round(ratio, 3), target, ratio <= target));
            }
        }
        return figures;
    }

    public static void PrintTable(IReadOnlyList<Figure> figures, long volumeBytes)
    {
        Console.WriteLine();
        Console.WriteLine($"FleetMerge storage figures (volume {volumeBytes >> 20} MiB, 1 MiB I/O, median of the measured iterations)");
        Console.WriteLine($"{"figure",-46} {"value",10} {"baseline",10} {"ratio",7} {"target",7}  met");
        foreach (var f in figures)
            Console.WriteLine($"{f.Name,-46} {f.Value,8:F1}ms {f.Baseline,8:F1}ms {f.Ratio,6:F2}x {f.Target,6:F2}x  {(f.Met ? "yes" : "NO")}");
    }

    public static void WriteJson(IReadOnlyList<Figure> figures, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(figures.Select(f => new
        {
            name = f.Name, value = f.Value, unit = f.Unit, baseline = f.Baseline, ratio = f.Ratio, target = f.Target, met = f.Met,
        }), new JsonSerializerOptions { WriteIndented = true }));
}
