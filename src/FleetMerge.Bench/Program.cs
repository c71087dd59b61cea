using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FleetMerge.Bench;

// In-process, a few measured iterations each: these are I/O-bound runs of hundreds of
// milliseconds, not microbenchmarks. Every figure is compared with its baseline from this run.
bool quick = args.Contains("--quick");
string? jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
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
var summaries = new[]
{
    BenchmarkRunner.Run<OriginWriteBenchmarks>(config),
    BenchmarkRunner.Run<SnapshotReadBenchmarks>(readConfig),
    BenchmarkRunner.Run<SnapshotReadOverheadBenchmarks>(readConfig),
    BenchmarkRunner.Run<MergeBenchmarks>(config),
};
var figures = Figures.From(summaries);
Figures.PrintTable(figures, BenchFiles.VolumeBytes);
if (jsonPath is not null) Figures.WriteJson(figures, jsonPath);
Directory.Delete(BenchFiles.Dir, recursive: true);
return 0;
