using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace FleetMerge.Bench;

/// <summary>One measured figure, its baseline from the same run, the ratio and the issue's target.</summary>
/// <param name="Ratio">time / baseline time (lower is better), or for a throughput figure
/// (<see cref="HigherIsBetter"/>) baseline time / time (higher is better).</param>
public sealed record Figure(string Name, double Value, string Unit, double Baseline, double Ratio, double Target, bool Met)
{
    /// <summary>What the baseline is, in words.</summary>
    public string BaselineName { get; init; } = "";

    public bool HigherIsBetter { get; init; }
}

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
                string baseName = baseline.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                foreach (var report in group)
                {
                    if (report.BenchmarkCase.Descriptor.Baseline || report.ResultStatistics is null) continue;
                    string method = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                    string name = group.Key.Length == 0 ? method : $"{method} [{group.Key.Trim('[', ']')}]";
                    double ms = report.ResultStatistics.Median / 1e6;
                    double target = Targets.GetValueOrDefault(method, double.NaN);
                    double ratio = ms / baseMs;
                    figures.Add(new Figure(name, Math.Round(ms, 1), "ms", Math.Round(baseMs, 1), Math.Round(ratio, 3), target,
                        !double.IsNaN(target) && ratio <= target) { BaselineName = baseName });
                }
            }
        return figures;
    }

    /// <summary>A figure timed outside BenchmarkDotNet (processes, actor recovery): medians in ms.</summary>
    public static Figure Timed(string name, double ms, string baselineName, double baselineMs, double target = double.NaN, bool higherIsBetter = false)
    {
        double ratio = higherIsBetter ? baselineMs / ms : ms / baselineMs;
        bool met = !double.IsNaN(target) && (higherIsBetter ? ratio >= target : ratio <= target);
        return new Figure(name, Math.Round(ms, 1), "ms", Math.Round(baselineMs, 1), Math.Round(ratio, 3), target, met)
        {
            BaselineName = baselineName,
            HigherIsBetter = higherIsBetter,
        };
    }

    public static void PrintTable(IReadOnlyList<Figure> figures, long volumeBytes)
    {
        Console.WriteLine();
        Console.WriteLine($"FleetMerge figures (volume {volumeBytes >> 20} MiB, 1 MiB I/O, medians)");
        Console.WriteLine($"{"figure",-66} {"value",10} {"baseline",10} {"ratio",7} {"target",8}  met");
        foreach (var f in figures)
        {
            string target = double.IsNaN(f.Target) ? "       -" : $"{(f.HigherIsBetter ? ">=" : "<="),2}{f.Target:F2}x";
            string met = double.IsNaN(f.Target) ? "-" : f.Met ? "yes" : "NO";
            Console.WriteLine($"{f.Name,-66} {f.Value,8:F1}ms {f.Baseline,8:F1}ms {f.Ratio,6:F2}x {target,8}  {met}");
        }
        Console.WriteLine("ratio = time / baseline time (lower is better); for a >= target, baseline time / time (throughput, higher is better).");
        Console.WriteLine("baselines (measured in the same run):");
        foreach (var f in figures.Where(f => f.BaselineName.Length > 0).DistinctBy(f => (f.Name, f.BaselineName)))
            Console.WriteLine($"  {f.Name}: {f.BaselineName}");
    }

    public static void WriteJson(IReadOnlyList<Figure> figures, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(figures.Select(f => new
        {
            name = f.Name, value = f.Value, unit = f.Unit, baseline = f.Baseline, ratio = f.Ratio,
            target = double.IsNaN(f.Target) ? (double?)null : f.Target, met = f.Met,
            baseline_name = f.BaselineName, better = f.HigherIsBetter ? "higher" : "lower",
        }), new JsonSerializerOptions { WriteIndented = true }));
}
