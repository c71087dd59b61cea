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
        ["snapshot read, all chunks in COW, vs raw COW"] = 1.1,
        // Merge: the issue's target is throughput >= 0.8x the plain copy, i.e. time <= 1.25x.
        ["merge, consecutive table"] = 1.25,
    };

    public static List<Figure> From(IEnumerable<Summary> summaries)
    {
        var figures = new List<Figure>();
        foreach (var summary in summaries)
            foreach (var group in summary.Reports.GroupBy(r => r.BenchmarkCase.Parameters.DisplayInfo))
            {
                // Each parameter set (e.g. a chunk size) has its own baseline, measured alongside.
                var baseline = group.Single(r => r.BenchmarkCase.Descriptor.Baseline);
                double baseMs = baseline.ResultStatistics!.Median / 1e6;
                foreach (var report in group)
                {
                    if (report.BenchmarkCase.Descriptor.Baseline || report.ResultStatistics is null) continue;
                    string method = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                    string name = group.Key.Length == 0 ? method : $"{method} [{group.Key.Trim('[', ']')}]";
                    double ms = report.ResultStatistics.Median / 1e6;
                    double target = Targets.GetValueOrDefault(method, double.NaN);
                    double ratio = ms / baseMs;
                    figures.Add(new Figure(name, Math.Round(ms, 1), "ms", Math.Round(baseMs, 1), Math.Round(ratio, 3), target,
                        !double.IsNaN(target) && ratio <= target));
                }
            }
        return figures;
    }

    public static void PrintTable(IReadOnlyList<Figure> figures, long volumeBytes)
    {
        Console.WriteLine();
        Console.WriteLine($"FleetMerge storage figures (volume {volumeBytes >> 20} MiB, 1 MiB I/O, median of the measured iterations)");
        Console.WriteLine($"{"figure",-62} {"value",10} {"baseline",10} {"ratio",7} {"target",7}  met");
        foreach (var f in figures)
        {
            string target = double.IsNaN(f.Target) ? "      -" : $"{f.Target,6:F2}x";
            string met = double.IsNaN(f.Target) ? "-" : f.Met ? "yes" : "NO";
            Console.WriteLine($"{f.Name,-62} {f.Value,8:F1}ms {f.Baseline,8:F1}ms {f.Ratio,6:F2}x {target}  {met}");
        }
        Console.WriteLine("ratio = time / baseline time (lower is better); merge throughput = 1 / ratio of the plain copy's.");
    }

    public static void WriteJson(IReadOnlyList<Figure> figures, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(figures.Select(f => new
        {
            name = f.Name, value = f.Value, unit = f.Unit, baseline = f.Baseline, ratio = f.Ratio,
            target = double.IsNaN(f.Target) ? (double?)null : f.Target, met = f.Met,
        }), new JsonSerializerOptions { WriteIndented = true }));
}
