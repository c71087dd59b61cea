using System.Globalization;
using System.Text.Json;
using FleetMerge.Torture.Cli;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FleetMerge.Cli.Tests.Crash;

/// <summary>Seeds for the crash tests: random per run, or FLEETMERGE_KILL_SEED to replay one.</summary>
public static class KillSeeds
{
    public const string Variable = "FLEETMERGE_KILL_SEED";

    /// <summary>The replay seed when FLEETMERGE_KILL_SEED is set (every trial then uses it), else a fresh random one.</summary>
    public static int Next()
    {
        string? text = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(text))
            return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return Random.Shared.Next();
    }

    public static string Replay(int seed) => $"replay with {Variable}={seed}";
}

/// <summary>
/// Runs `cow merge` on a scenario and SIGKILLs it at random instants, checking the files after
/// every kill, then lets it finish and checks the end state.
/// </summary>
public sealed class KillTrial(MergeScenario s, ITestOutputHelper output)
{
    /// <summary>`dotnet fleetmerge.dll` start-up until the merge loop runs (kills before that are cheap no-ops; a few are kept).</summary>
    private const double StartupSeconds = 0.15;

    private byte[] expected1 = [];
    private byte[]? expected2;
    private List<(ulong Old, ulong New)> table1 = [];
    private List<(ulong Old, ulong New)> table2 = [];

    public int Kills { get; private set; }

    /// <summary>Kills that left the table partly merged (fewer exceptions than before, more than 0).</summary>
    public int KillsWithProgress { get; private set; }

    /// <summary>
    /// Checks the scenario before any merge: the origin and the views FleetMerge reads (`cow read`)
    /// equal the model, and so do the views read by the independent reader; the stores verify clean.
    /// </summary>
    public MergeScenario.Inspection Prepare()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Same(s.OriginModel, File.ReadAllBytes(s.Origin), "origin file vs the model, before the merge");
        expected1 = s.ReadView(s.Cow1, "view1-before.img");
        Same(s.Snap1Model, expected1, "snapshot 1 view (cow read) vs the model, before the merge");
        Same(s.Snap1Model, RawCow.View(s.Origin, s.Cow1), "snapshot 1 view (independent reader) vs the model, before the merge");
        table1 = RawCow.Read(s.Cow1).Entries;
        if (s.TwoSnapshots)
        {
            expected2 = s.ReadView(s.Cow2, "view2-before.img");
            Same(s.Snap2Model!, expected2, "snapshot 2 view (cow read) vs the model, before the merge");
            Same(s.Snap2Model!, RawCow.View(s.Origin, s.Cow2), "snapshot 2 view (independent reader) vs the model, before the merge");
            table2 = RawCow.Read(s.Cow2).Entries;
        }
        CheckVerify("before the merge");
        var i = s.Inspect(s.Cow1);
        Assert.Equal(1, i.Valid);
        Assert.Equal(table1.Count, i.Exceptions);
        output.WriteLine($"scenario seed {s.Seed}: origin {s.OriginBytes} bytes, {(s.TwoSnapshots ? "two snapshots" : "one snapshot")}, {s.Writes} writes, " +
                         $"snapshot 1: {i.Exceptions} exceptions in {i.AreasUsed} areas ({Batches(table1)} merge batches), status {i.Status}; dir {s.Dir}; " +
                         $"set-up {s.SetupSeconds:F1}s (in-process writes {s.ApplySeconds:F1}s), checks {clock.Elapsed.TotalSeconds:F1}s");
        return i;
    }

    /// <summary>Runs of entries whose old and new chunks both step by one (what merge batches are made of, area bounds aside).</summary>
    private static int Batches(List<(ulong Old, ulong New)> table)
    {
        int n = 0;
        for (int i = 0; i < table.Count; i++)
            if (i == 0 || table[i].Old != table[i - 1].Old + 1 || table[i].New != table[i - 1].New + 1) n++;
        return n;
    }

    /// <summary>Up to <paramref name="kills"/> SIGKILLs at random instants (each kill lands in a fresh run), then a run to the end.</summary>
    public void Run(Random rng, int kills)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long remaining = table1.Count;
        for (int k = 0; k < kills && remaining > 0; k++)
        {
            // Mostly throttled runs of 0.5–2 s; one in four at full speed, where flushes and commits
            // take a larger share of the time (kills then land in them more often).
            bool unthrottled = k > 0 && rng.Next(4) == 0; // (a first run at full speed would often just finish)
            double duration = 0.5 + rng.NextDouble() * 1.5;
            long? rate = unthrottled ? null : Math.Max(64 << 10, (long)(remaining * MergeScenario.Chunk1 / duration));
            double delay = unthrottled ? 0.05 + rng.NextDouble() * 0.2 : 0.03 + rng.NextDouble() * (StartupSeconds + 0.95 * duration);
            bool killed;
            using (var child = CliChild.Start(s.Dir, s.MergeArgs(rate)))
            {
                Thread.Sleep(TimeSpan.FromSeconds(delay));
                killed = child.KillHard();
                if (!killed)
                {
                    int code = child.WaitForExit(TimeSpan.FromMinutes(1));
                    Assert.True(code == 0, $"merge run {k + 1} exited {code} before the kill: {child.Stderr.Trim()}");
                }
            }
            long after = CheckTables($"after run {k + 1}");
            output.WriteLine($"  run {k + 1}: {(rate is null ? "full speed" : $"--max-rate {rate} (~{duration:F2}s)")}, {(killed ? "SIGKILL" : "finished before the kill")} at {delay:F3}s: " +
                             $"{remaining} -> {after} exceptions");
            Assert.True(after <= remaining, $"table grew from {remaining} to {after} exceptions in run {k + 1}");
            if (killed)
            {
                Kills++;
                if (after < remaining && after > 0) KillsWithProgress++;
                string when = $"after SIGKILL {Kills} ({delay:F3}s into run {k + 1}, {after} exceptions left)";
                CheckVerify(when, both: Kills % 2 == 1); // snapshot 2 on every other kill (its table is checked every time)
                CheckViews(when);
            }
            remaining = after;
        }
        double killing = clock.Elapsed.TotalSeconds;
        Finish();
        output.WriteLine($"  kill runs and checks {killing:F1}s, final run and checks {clock.Elapsed.TotalSeconds - killing:F1}s");
        output.WriteLine("  CLI calls: " + string.Join(", ", s.CliTime.Select(kv => $"{kv.Key} {kv.Value.Calls}x {kv.Value.Seconds:F2}s")));
    }

    /// <summary>
    /// Read with the independent reader: snapshot 1's table is still valid and a prefix of the table
    /// before the merge (the merge only ever cuts entries off its end); snapshot 2's table only grew
    /// (entries appended, none changed). Returns snapshot 1's entry count.
    /// </summary>
    public long CheckTables(string when)
    {
        var now1 = RawCow.Read(s.Cow1);
        Assert.True(now1.Valid, $"snapshot 1 header invalid {when}");
        Assert.True(now1.Entries.Count <= table1.Count && now1.Entries.SequenceEqual(table1.Take(now1.Entries.Count)),
            $"snapshot 1's table {when} is not a prefix of the table before the merge ({now1.Entries.Count} entries, " +
            $"first difference at entry {now1.Entries.Zip(table1).TakeWhile(p => p.First == p.Second).Count()})");
        if (s.TwoSnapshots)
        {
            var now2 = RawCow.Read(s.Cow2);
            Assert.True(now2.Valid, $"snapshot 2 header invalid {when}");
            Assert.True(now2.Entries.Count >= table2.Count && now2.Entries.Take(table2.Count).SequenceEqual(table2),
                $"snapshot 2's table {when} lost or changed entries ({table2.Count} -> {now2.Entries.Count})");
            table2 = now2.Entries;
        }
        return now1.Entries.Count;
    }

    /// <summary>
    /// The snapshot views of the half-merged files: snapshot 1 reads as the final origin (`cow read`
    /// and the independent reader), snapshot 2 as before (independent reader; `cow read` at the end).
    /// </summary>
    public void CheckViews(string when)
    {
        var v1 = s.ReadView(s.Cow1, "view1-now.img");
        if (MergeScenario.Difference(expected1, v1) is { Length: > 0 } d1)
        {
            File.WriteAllBytes(Path.Combine(s.Dir, "view1-bad.img"), v1);
            throw new XunitException($"snapshot 1 view (cow read) {when}: {d1}");
        }
        Same(expected1, RawCow.View(s.Origin, s.Cow1), $"snapshot 1 view (independent reader) {when}");
        if (expected2 is not null) Same(expected2, RawCow.View(s.Origin, s.Cow2), $"snapshot 2 view (independent reader) {when}");
    }

    public void CheckVerify(string when, bool both = true)
    {
        foreach (var cow in s.TwoSnapshots && both ? new[] { s.Cow1, s.Cow2 } : [s.Cow1])
        {
            var v = s.Verify(cow);
            Assert.True(v.ExitCode == 0, $"cow verify {Path.GetFileName(cow)} {when}: exit {v.ExitCode}: {v.Stdout.Trim()} {v.Stderr.Trim()}");
        }
    }

    /// <summary>The resumed run to the end, and every end-state check.</summary>
    public void Finish()
    {
        var r = CliProcess.Run(s.Dir, s.MergeArgs(null, "--json"));
        Assert.True(r.ExitCode == 0, $"final merge run exited {r.ExitCode}: {r.Stderr.Trim()}");
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("complete").GetBoolean(), "final merge run: complete = false");
            Assert.Equal(0, json.RootElement.GetProperty("remainingExceptions").GetInt64());
        }
        Same(expected1, File.ReadAllBytes(s.Origin), "merged origin vs snapshot 1's view before the merge");
        var i = s.Inspect(s.Cow1);
        Assert.True(i.Exceptions == 0, $"snapshot 1 still has {i.Exceptions} exceptions after the merge");
        Assert.True(i.MergeComplete, $"status {i.Status}: allocated != metadata after the merge");
        Assert.Equal(0, CheckTables("after the merge"));
        CheckVerify("after the merge");
        if (expected2 is not null)
        {
            Assert.Equal(1, s.Inspect(s.Cow2).Valid);
            Same(expected2, s.ReadView(s.Cow2, "view2-after.img"), "snapshot 2 view (cow read) after the merge");
        }
    }

    /// <summary>Once complete, the same command again is a no-op.</summary>
    public void RunAgain()
    {
        var again = CliProcess.Run(s.Dir, s.MergeArgs(null));
        Assert.True(again.ExitCode == 0, $"merge of a merged store exited {again.ExitCode}: {again.Stderr.Trim()}");
        Same(expected1, File.ReadAllBytes(s.Origin), "origin after a second merge run");
    }

    private static void Same(byte[] expected, byte[] actual, string what)
    {
        if (MergeScenario.Difference(expected, actual) is { Length: > 0 } d)
            throw new XunitException($"{what}: {d}");
    }

    /// <summary>Runs a trial body; on failure keeps the directory and names the seed and path.</summary>
    public static void Guard(MergeScenario s, ITestOutputHelper output, Action body)
    {
        try
        {
            body();
            s.Keep = false;
        }
        catch (Exception e)
        {
            s.Keep = true;
            output.WriteLine($"FAILED: seed {s.Seed}, files kept in {s.Dir} as the failure left them (the seed rebuilds the scenario)");
            throw new XunitException($"seed {s.Seed} ({KillSeeds.Replay(s.Seed)}), files kept in {s.Dir}: {e.Message}", e);
        }
    }
}
