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

    /// <summary>The target is in the figure's own unit (e.g. at most 20 s), not a ratio to the baseline.</summary>
    public bool AbsoluteTarget { get; init; }
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
        ["snapshot read vs its own preads replayed"] = 1.1,
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

    /// <summary>
    /// A figure in any unit (seconds, MiB, steps/s) with an optional target in that unit
    /// (<paramref name="absoluteTarget"/>); the ratio is value / baseline, whichever way is better.
    /// A NaN baseline marks a figure derived from others in the table (no ratio).
    /// </summary>
    public static Figure Measured(string name, double value, string unit, string baselineName, double baseline,
        double absoluteTarget = double.NaN, bool higherIsBetter = false)
    {
        double ratio = value / baseline;
        bool met = !double.IsNaN(absoluteTarget) && (higherIsBetter ? value >= absoluteTarget : value <= absoluteTarget);
        return new Figure(name, Round(value), unit, Round(baseline), Math.Round(ratio, 3), absoluteTarget, met)
        {
            BaselineName = baselineName,
            HigherIsBetter = higherIsBetter,
            AbsoluteTarget = true,
        };
    }

    private static double Round(double value) => double.IsNaN(value) ? value : Math.Round(value, Math.Abs(value) < 10 ? 3 : 1);

    public static void PrintTable(IReadOnlyList<Figure> figures, long volumeBytes)
    {
        Console.WriteLine();
        Console.WriteLine($"FleetMerge figures (volume {volumeBytes >> 20} MiB, 1 MiB I/O, medians)");
        Console.WriteLine($"{"figure",-66} {"value",12} {"baseline",12} {"ratio",7} {"target",10}  met");
        foreach (var f in figures)
        {
            string target = double.IsNaN(f.Target) ? "-"
                : f.AbsoluteTarget ? $"{(f.HigherIsBetter ? ">=" : "<=")}{Show(f.Target, f.Unit)}"
                : $"{(f.HigherIsBetter ? ">=" : "<=")}{f.Target:F2}x";
            string met = double.IsNaN(f.Target) ? "-" : f.Met ? "yes" : "NO";
            string ratio = double.IsNaN(f.Ratio) ? "-" : $"{f.Ratio:F2}x";
            Console.WriteLine($"{f.Name,-66} {Show(f.Value, f.Unit),12} {Show(f.Baseline, f.Unit),12} {ratio,7} {target,10}  {met}");
        }
        Console.WriteLine("ratio = time / baseline time (lower is better); for a >= target, baseline time / time (throughput, higher is better);");
        Console.WriteLine("  for a target in the figure's unit (e.g. <=20s), value / baseline, and the target applies to the value itself.");
        Console.WriteLine("baselines (measured in the same run):");
        foreach (var f in figures.Where(f => f.BaselineName.Length > 0).DistinctBy(f => (f.Name, f.BaselineName)))
            Console.WriteLine($"  {f.Name}: {f.BaselineName}");
    }

    /// <summary>A value with its unit, e.g. 812.3ms, 9.41s, 412KiB; "-" for none.</summary>
    public static string Show(double value, string unit) => double.IsNaN(value) ? "-" : unit switch
    {
        "ms" or "MiB" => $"{value:F1}{unit}",
        "s" => $"{value:F2}{unit}",
        _ => $"{value:0.#}{unit}",
    };

    public static void WriteJson(IReadOnlyList<Figure> figures, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(figures.Select(f => new
        {
            name = f.Name, value = f.Value, unit = f.Unit, baseline = double.IsNaN(f.Baseline) ? (double?)null : f.Baseline, ratio = double.IsNaN(f.Ratio) ? (double?)null : f.Ratio,
            target = double.IsNaN(f.Target) ? (double?)null : f.Target, met = f.Met,
            target_of = f.AbsoluteTarget ? "value" : "ratio",
            baseline_name = f.BaselineName, better = f.HigherIsBetter ? "higher" : "lower",
        }), new JsonSerializerOptions { WriteIndented = true }));
}
