using System.Diagnostics;

namespace FleetMerge.Torture.Harness;

/// <summary>
/// Runs one scenario's trials (numbers first..first+count-1) with up to min(jobs, MaxParallel) at once,
/// each with its own seed and directory; keeps the directories of failing trials, removes the others.
/// Progress goes to stderr every few seconds; the caller prints the result line.
/// </summary>
public sealed class ScenarioRunner(string workDir, int runSeed, int jobs)
{
    public async Task<ScenarioResult> RunAsync(IScenario scenario, int first, int count, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        string scenarioDir = Path.Combine(workDir, scenario.Name);
        Directory.CreateDirectory(scenarioDir);
        var context = new ScenarioContext(scenarioDir, TrialSeed.Of(runSeed, scenario.Name, -1),
            line => Console.Error.WriteLine($"torture: {scenario.Name}: {line}"));
        try
        {
            await scenario.SetUpAsync(context, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await scenario.TearDownAsync(context);
            return new ScenarioResult(scenario.Name, 0, 1, 0, runSeed, clock.Elapsed) { SetUpError = OneLine(e) };
        }

        int done = 0, failures = 0, lost = 0;
        (int, string, string)? firstFailure = null;
        var gate = new object();
        var lastProgress = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(first, count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(jobs, scenario.MaxParallel)), CancellationToken = cancel },
                async (number, token) =>
                {
                    string dir = Path.Combine(scenarioDir, $"trial-{number}");
                    Directory.CreateDirectory(dir);
                    var trial = new TrialContext(number, TrialSeed.Of(runSeed, scenario.Name, number), dir, context);
                    TrialOutcome outcome;
                    try
                    {
                        outcome = await scenario.RunTrialAsync(trial, token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        outcome = TrialOutcome.Failure($"the trial threw {OneLine(e)}");
                    }
                    if (outcome.Failed)
                        trial.Log($"FAILED{(outcome.DataLost ? " (data lost)" : "")}: {outcome.Message}");
                    else
                        TryDelete(dir);
                    lock (gate)
                    {
                        done++;
                        if (outcome.Failed)
                        {
                            failures++;
                            if (outcome.DataLost) lost++;
                            if (firstFailure is null || number < firstFailure.Value.Item1)
                                firstFailure = (number, outcome.Message ?? "failed", dir);
                            Console.Error.WriteLine($"torture: {scenario.Name}: trial {number} FAILED: {outcome.Message} (kept {dir})");
                        }
                        if (lastProgress.Elapsed > TimeSpan.FromSeconds(10))
                        {
                            lastProgress.Restart();
                            Console.Error.WriteLine($"torture: {scenario.Name}: {done}/{count} trials, {failures} failures ({clock.Elapsed.TotalSeconds:F0} s)");
                        }
                    }
                });
        }
        finally
        {
            await scenario.TearDownAsync(context);
        }
        if (failures == 0) TryDelete(scenarioDir);
        return new ScenarioResult(scenario.Name, done, failures, lost, runSeed, clock.Elapsed) { FirstFailure = firstFailure };
    }

    private static string OneLine(Exception e) => $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
