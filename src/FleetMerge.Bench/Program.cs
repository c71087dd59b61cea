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
var parts = new List<(string Part, TimeSpan Took)>();
async Task Part(string part, Func<Task<IEnumerable<Figure>>> run)
{
    if (!only.Contains(part)) return;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    figures.AddRange(await run());
    parts.Add((part, clock.Elapsed));
    Progress.Say($"{part}: done in {clock.Elapsed:m\\:ss}");
}

await Part("storage", () =>
{
    // Writes and merges need a set-up per iteration, so one invocation each (Monitoring).
    var job = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(quick ? 3 : 7);
    var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .WithArtifactsPath(Path.Combine(BenchFiles.Dir, "artifacts"));

    // Reads repeat without set-up: four reads of the whole volume per iteration (their mean),
    // a fixed count of iterations. BenchmarkDotNet's own pilot batched reads of a few ms into
    // 0.5 s iterations, 15 to 20 of them after as many warm-ups, for every read benchmark: 2.5 of
    // the 6 minutes --quick took.
    var readJob = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(quick ? 9 : 21)
        .WithInvocationCount(4)
        .WithUnrollFactor(1)
        .WithEvaluateOverhead(false);
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
    return Task.FromResult<IEnumerable<Figure>>(Figures.From(summaries));
});
await Part("merge", async () => await NodeMergeFigure.RunAsync(quick ? 3 : 7));
await Part("start", async () => await NodeStartFigure.RunAsync(quick ? 3 : 5));
await Part("recovery", async () => await RecoveryFigure.RunAsync(20_000, quick ? 3 : 9));
await Part("fleet", async () => await FleetBench.RunAsync(quick));

Figures.PrintTable(figures, BenchFiles.VolumeBytes);
if (jsonPath is not null) Figures.WriteJson(figures, jsonPath);
var cleanup = System.Diagnostics.Stopwatch.StartNew();
if (Directory.Exists(BenchFiles.Dir)) Directory.Delete(BenchFiles.Dir, recursive: true);
Progress.Say($"cleanup: {BenchFiles.Dir} removed in {cleanup.Elapsed:m\\:ss}");
Progress.Say($"parts: {string.Join(", ", parts.Select(p => $"{p.Part} {p.Took:m\\:ss}"))}");
return 0;
