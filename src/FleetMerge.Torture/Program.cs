using FleetMerge.Torture;
using FleetMerge.Torture.Harness;

// One line per scenario: trials, failures, data lost (must be 0) and the seed that replays it.
TortureOptions options;
try
{
    options = TortureOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"fleetmerge-torture: {e.Message}");
    Console.Error.WriteLine(TortureOptions.Usage);
    return 2;
}

if (options.List)
{
    foreach (var s in Scenarios.All)
        Console.WriteLine($"{s.Name,-22} {(s.Scale == ScenarioScale.Engine ? 1000 : 100),5}  {s.Description}");
    return 0;
}

var chosen = Scenarios.All.Where(s => options.Only is null || options.Only.Contains(s.Name)).ToList();
if (options.Only?.FirstOrDefault(n => Scenarios.All.All(s => s.Name != n)) is { } unknown)
{
    Console.Error.WriteLine($"fleetmerge-torture: --only: no scenario named '{unknown}' (see --list)");
    return 2;
}
if (options.Trial is not null && chosen.Count != 1)
{
    Console.Error.WriteLine("fleetmerge-torture: --trial replays one trial of one scenario: give --only NAME too");
    return 2;
}

string workDir = options.Dir ?? Path.Combine(Path.GetTempPath(), $"fleetmerge-torture-{options.Seed}");
Directory.CreateDirectory(workDir);
Console.WriteLine($"torture: seed {options.Seed}, {options.Jobs} jobs, work directory {workDir}");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var runner = new ScenarioRunner(workDir, options.Seed, options.Jobs);
var results = new List<ScenarioResult>();
try
{
    foreach (var scenario in chosen)
    {
        int count = options.Trial is not null ? 1 : options.Trials ?? (scenario.Scale == ScenarioScale.Engine ? 1000 : 100);
        Console.Error.WriteLine($"torture: {scenario.Name}: {count} trials: {scenario.Description}");
        var result = await runner.RunAsync(scenario, options.Trial ?? 0, count, cancel.Token);
        results.Add(result);
        Console.WriteLine(result.Line());
        if (result.SetUpError is { } setUp)
            Console.WriteLine($"  set-up failed: {setUp}");
        if (result.FirstFailure is { } f)
            Console.WriteLine($"  first failure: trial {f.Trial}: {f.Message}\n  kept: {f.Dir}\n  replay: ops/torture.sh --seed {options.Seed} --only {scenario.Name} --trial {f.Trial}");
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("torture: interrupted");
    return 130;
}

int failures = results.Sum(r => r.Failures), lost = results.Sum(r => r.DataLost);
Console.WriteLine($"torture: {results.Count} scenarios, {results.Sum(r => r.Trials)} trials, {failures} failures, {lost} data lost, seed {options.Seed}");
if (failures == 0 && options.Dir is null) Directory.Delete(workDir, recursive: true);
return failures == 0 ? 0 : 1;
