using System.Collections.Concurrent;
using System.Text.Json;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// The port of the former shell torture ops/torture/cow-merge-kill.sh: `cow merge` of a random scenario (<see cref="MergeSetup"/>)
/// SIGKILLed one to five times in a row (mostly throttled runs of 0.5–2 s, some at full speed), every
/// kill checked (stores clean and valid, snapshot 1's table a prefix of the one before, snapshot 2's
/// only grown, on every other kill both views as before the merge), then a run to the end: exit 0,
/// origin == snapshot 1's view before the merge, table empty with allocated == metadata, snapshot 2
/// unchanged. Each scenario is built once and serves <see cref="Reuse"/> trials from fresh copies.
/// </summary>
public sealed class CowMergeKillScenario : IScenario
{
    public const int Reuse = 3;
    private const int Chunk = 4096;

    private readonly ConcurrentDictionary<int, Lazy<Task<MergeSetup>>> setups = new();
    private readonly ConcurrentDictionary<int, int> served = new();
    private readonly KillTally tally = new("the table as before", "the table shrunk part way", "the table empty");
    private ScenarioContext? context;

    public string Name => "cow-merge-kill";

    public string Description => "cow merge (1-2 snapshots, --also) SIGKILLed 1-5 times, checked after every kill, then run to the end: origin == snapshot view";

    public ScenarioScale Scale => ScenarioScale.Engine;

    public int MaxParallel => Environment.ProcessorCount;

    public Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        this.context = context;
        context.Progress($"a scenario serves {Reuse} trials");
        return Task.CompletedTask;
    }

    /// <summary>The scenario of trials 3k..3k+2, built by the first of them to ask (its seed depends on k only, so --trial replays it).</summary>
    private Task<MergeSetup> SetupFor(int trial)
    {
        int k = trial / Reuse;
        var ctx = context ?? throw new InvalidOperationException("set-up did not run");
        return setups.GetOrAdd(k, _ => new Lazy<Task<MergeSetup>>(() => Task.Run(() =>
            MergeSetup.Build(new Random(TrialSeed.Of(ctx.Seed, Name + "/scenario", k)), Path.Combine(ctx.Dir, $"scenario-{k}"))))).Value;
    }

    /// <summary>Drops a scenario's files once all its trials are done (a failing trial keeps its own copy).</summary>
    private void Served(int trial)
    {
        int k = trial / Reuse;
        if (served.AddOrUpdate(k, 1, (_, n) => n + 1) < Reuse) return;
        if (setups.TryRemove(k, out var done) && done.Value.IsCompletedSuccessfully)
            try { Directory.Delete(done.Value.Result.Images.Dir, recursive: true); } catch (IOException) { }
    }

    public async Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel)
    {
        try { return await RunAsync(trial, await SetupFor(trial.Number), cancel); }
        finally { Served(trial.Number); }
    }

    private async Task<TrialOutcome> RunAsync(TrialContext trial, MergeSetup setup, CancellationToken cancel)
    {
        var random = trial.Random;
        var images = new ModelledImages(trial.Dir);
        foreach (string file in setup.Files) SparseCopy.Copy(file, Path.Combine(trial.Dir, Path.GetFileName(file)));
        images.Cows.AddRange(setup.Images.Cows.Select(c => Path.Combine(trial.Dir, Path.GetFileName(c))));
        images.OriginModel = setup.Expected1; // the origin after the merge; Views per snapshot as before it
        images.Views.AddRange(setup.Images.Views);
        trial.Log($"scenario: {setup.Describe()}");

        var table1 = RawCow.Read(images.Cows[0]).Entries;
        var table2 = setup.TwoSnapshots ? RawCow.Read(images.Cows[1]).Entries : [];
        string[] merge = ["cow", "merge", "--origin", images.Origin, "--cow", images.Cows[0], .. setup.TwoSnapshots ? new[] { "--also", images.Cows[1] } : []];
        long remaining = table1.Count;
        int target = 1 + random.Next(5), kills = 0;
        for (int k = 1; k <= target && remaining > 0; k++)
        {
            // Mostly throttled runs of 0.5–2 s; one in four at full speed (not the first: it would
            // often just finish), where flushes and commits take a larger share of the time.
            bool fullSpeed = k > 1 && random.Next(4) == 0;
            double seconds = 0.5 + random.NextDouble() * 1.5;
            long rate = Math.Max(64 << 10, (long)(remaining * Chunk / seconds));
            string[] args = fullSpeed ? merge : [.. merge, "--max-rate", Fleetmerge.Text(rate)];
            // Half the kills by time (they land anywhere, a flush included), half by bytes written (spread over the copying).
            var point = random.Next(2) == 0
                ? new KillPoint(TimeSpan.FromSeconds(random.NextDouble() * (fullSpeed ? 0.25 : 0.95 * seconds)), null, FromFirstWrite: true)
                : new KillPoint(null, 1 + (long)(random.NextDouble() * remaining * Chunk * (setup.TwoSnapshots ? 1.3 : 1)));
            var run = await KilledRun.RunAsync(point, args, cancel);
            var now1 = RawCow.Read(images.Cows[0]);
            string line = $"run {k}: {(fullSpeed ? "full speed" : $"--max-rate {rate} (~{seconds:F2} s)")}, kill {point}: " +
                      $"{(run.Killed ? "killed" : $"exit {run.ExitCode}")}, {run.Written} bytes written, {remaining} -> {now1.Entries.Count} exceptions";
            trial.Log(line);
            if (!run.Killed && run.ExitCode != 0) return TrialOutcome.Failure($"merge run {k} exited {run.ExitCode}: {Fleetmerge.OneLine(run.Stderr)}");
            string when = run.Killed ? $"after kill {kills + 1} ({point}, run {k})" : $"after run {k} finished before its kill";
            if (!now1.Valid) return TrialOutcome.Lost($"{when}: snapshot 1 is marked invalid");
            if (MergeTables.Shrunk(table1, now1.Entries) is { } shrunk) return TrialOutcome.Lost($"{when}: {shrunk}");
            if (setup.TwoSnapshots)
            {
                var now2 = RawCow.Read(images.Cows[1]);
                if (!now2.Valid) return TrialOutcome.Lost($"{when}: snapshot 2 is marked invalid");
                if (MergeTables.Grown(table2, now2.Entries) is { } grown) return TrialOutcome.Lost($"{when}: {grown}");
                table2 = now2.Entries;
            }
            if (run.Killed)
            {
                kills++;
                long left = now1.Entries.Count;
                if (left == remaining) tally.NothingChanged();
                else if (left == 0) tally.AllDone();
                else tally.PartlyDone();
                for (int i = 0; i < images.Cows.Count; i++)
                    if (images.Verify(i) is { } findings) return TrialOutcome.Lost($"{when}: {findings}");
                if (k % 2 == 1)
                    for (int i = 0; i < images.Cows.Count; i++)
                        if (ByteCompare.Exactly(images.Views[i], RawCow.View(images.Origin, images.Cows[i])) is { } v)
                            return TrialOutcome.Lost($"{when}: snapshot {i + 1}'s view vs before the merge: {v}");
            }
            else tally.FinishedFirst();
            remaining = now1.Entries.Count;
        }
        return Finish(trial, images, setup, merge);
    }

    /// <summary>The run to the end and the end-state checks.</summary>
    private static TrialOutcome Finish(TrialContext trial, ModelledImages images, MergeSetup setup, string[] merge)
    {
        var final = Fleetmerge.Run([.. merge, "--json"]);
        trial.Log($"final run: exit {final.ExitCode}");
        if (final.ExitCode != 0) return TrialOutcome.Failure($"the final merge run exited {final.ExitCode}: {Fleetmerge.OneLine(final.Stderr)}");
        using (var json = JsonDocument.Parse(final.Stdout))
            if (!json.RootElement.GetProperty("complete").GetBoolean()) return TrialOutcome.Failure("the final merge run says complete = false");
        if (ByteCompare.Exactly(setup.Expected1, File.ReadAllBytes(images.Origin)) is { } o)
            return TrialOutcome.Lost($"merged origin vs snapshot 1's view before the merge: {o}");
        for (int i = 0; i < images.Cows.Count; i++)
            if (images.Verify(i) is { } findings) return TrialOutcome.Lost($"after the merge: {findings}");
        var inspect = Fleetmerge.Run("cow", "inspect", images.Cows[0], "--json").Ok();
        using (var json = JsonDocument.Parse(inspect.Stdout))
        {
            long left = json.RootElement.GetProperty("exceptions").GetInt64();
            string status = json.RootElement.GetProperty("status").GetString() ?? "";
            var parts = status.Split(' ', '/');
            if (left != 0) return TrialOutcome.Failure($"{left} exceptions left after the merge");
            if (parts.Length != 3 || parts[0] != parts[2]) return TrialOutcome.Failure($"status '{status}' after the merge: allocated != metadata");
        }
        if (setup.TwoSnapshots &&
            ByteCompare.Exactly(setup.Expected2!, Fleetmerge.ReadView(images.Origin, images.Cows[1], Path.Combine(trial.Dir, "view2.img"))) is { } v2)
            return TrialOutcome.Lost($"snapshot 2's view (cow read) after the merge: {v2}");
        return TrialOutcome.Passed;
    }

    public Task TearDownAsync(ScenarioContext context)
    {
        context.Progress(tally.ToString());
        return Task.CompletedTask;
    }
}
