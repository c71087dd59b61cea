using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FleetMerge.Bench;
using FleetMerge.Bench.FleetFigures;
using FleetMerge.Bench.NodeFigures;

// In-process, a few measured iterations each: these are I/O-bound runs of hundreds of
// milliseconds, not microbenchmarks. Every figure is compared with its baseline from this run.
//   FleetMerge.Bench [--quick] [--json FILE] [--only storage,merge,start,recovery,fleet]
bool quick = args.Contains("--quick");
string? jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
string[] all = ["storage", "merge", "start", "recovery", "fleet"];
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? all;
if (only.Except(all).FirstOrDefault() is { } unknown)
{
    Console.Error.WriteLine($"FleetMerge.Bench: --only: '{unknown}' is not one of {string.Join(", ", all)}");
    return 2;
}

var figures = new List<Figure>();
if (only.Contains("storage"))
{
    var job = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(quick ? 3 : 7);
    var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .WithArtifactsPath(Path.Combine(BenchFiles.Dir, "artifacts"));

    // Reads repeat without set-up, so they get BenchmarkDotNet's own iteration counts for stable medians.
    var readJob = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1)
        .WithMaxIterationCount(quick ? 20 : 40);
    var readConfig = DefaultConfig.Instance.AddJob(readJob).WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .WithArtifactsPath(Path.Combine(BenchFiles.Dir, "artifacts"));
    var summaries = new List<Summary>();
    Progress.Say("storage: origin writes (BenchmarkDotNet)");
    summaries.Add(BenchmarkRunner.Run<OriginWriteBenchmarks>(config));
    Progress.Say("storage: origin first-writes against the commit protocol's own I/O");
    summaries.Add(BenchmarkRunner.Run<CommitFloorBenchmarks>(config));
    Progress.Say("storage: snapshot reads");
    summaries.Add(BenchmarkRunner.Run<SnapshotReadBenchmarks>(readConfig));
    summaries.Add(BenchmarkRunner.Run<SnapshotReadOverheadBenchmarks>(readConfig));
    Progress.Say("storage: merges against a plain copy");
    summaries.Add(BenchmarkRunner.Run<MergeBenchmarks>(config));
    figures.AddRange(Figures.From(summaries));
}
if (only.Contains("merge")) figures.Add(await NodeMergeFigure.RunAsync(quick ? 3 : 7));
if (only.Contains("start")) figures.AddRange(await NodeStartFigure.RunAsync(quick ? 3 : 5));
if (only.Contains("recovery")) figures.AddRange(await RecoveryFigure.RunAsync(20_000, quick ? 5 : 9));
if (only.Contains("fleet")) figures.AddRange(await FleetBench.RunAsync(quick));

Figures.PrintTable(figures, BenchFiles.VolumeBytes);
if (jsonPath is not null) Figures.WriteJson(figures, jsonPath);
if (Directory.Exists(BenchFiles.Dir)) Directory.Delete(BenchFiles.Dir, recursive: true);
return 0;
