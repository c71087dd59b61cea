using System.Buffers.Binary;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Torture.Harness;
using FleetMerge.Torture.PowerLoss;

namespace FleetMerge.Torture.Fuzz;

/// <summary>
/// fuzz-cow: a valid store with a seeded random table (origin and snapshot writes with the engine), damaged
/// in one random way (<see cref="CowMutation"/>), then the real `fleetmerge cow inspect`, `verify`, `read`
/// and `merge` processes on it, each within 60 s. Every answer must be output with exit 0 or one error
/// line (<see cref="CliVerdict"/>); the read-only commands must leave origin and COW byte-identical; a
/// refused merge must leave both byte-identical; a merge may only succeed on a store `cow verify --origin`
/// called clean, and must then leave the origin equal to the snapshot view `cow read` gave before it.
/// A clean, valid store must be read and merged.
/// </summary>
public sealed class FuzzCowScenario : IScenario
{
    public string Name => "fuzz-cow";

    public string Description => "valid store damaged one random way; real cow inspect/verify/read/merge: one-line errors, inputs untouched, merge only when clean";

    public ScenarioScale Scale => ScenarioScale.Engine;

    public int MaxParallel => Environment.ProcessorCount;

    public Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the bench's process helpers are POSIX-only");
        _ = FleetMerge.Bench.Processes.Binaries.CliDll; // fails the set-up with one line when the CLI is not built
        return Task.CompletedTask;
    }

    public Task TearDownAsync(ScenarioContext context) => Task.CompletedTask;

    public async Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel)
    {
        var rng = trial.Random;
        int originBytes = rng.Next(16, 256) * 4096 + (rng.Next(4) == 0 ? rng.Next(1, 8) * 512 : 0);
        var (originBase, chunks, cowBases) = Workload.Devices(rng, originBytes, 1);
        var w = new Workload
        {
            OriginBase = originBase, ChunkBytes = chunks, CowBases = cowBases,
            Steps = Workload.RandomSteps(rng, originBytes, rng.Next(3, 40), 1, 0.3, 128 << 10),
        };
        var built = WriteRun.Execute(w, CrashPlan.Never());
        if (built.Problem is not null || built.Thrown is not null)
            return TrialOutcome.Failure($"building the store failed: {built.Problem ?? built.Thrown!.Message}");
        byte[] origin = built.Images[0];
        int entries = ExceptionTable.Read(new MemoryBlockFile(built.Images[1]), ChunkGeometry.FromBytes(chunks[0])).Entries.Count;
        var kind = (CowMutation)rng.Next(Enum.GetValues<CowMutation>().Length);
        var (cow, what) = new CowMutator(rng, chunks[0], originBytes, entries).Apply(built.Images[1], kind);
        trial.Log($"{w.Describe()}, {entries} exceptions; {kind}: {what}");

        string o = Path.Combine(trial.Dir, "o.img"), c = Path.Combine(trial.Dir, "c.img"), v = Path.Combine(trial.Dir, "v.img");
        await File.WriteAllBytesAsync(o, origin, cancel);
        await File.WriteAllBytesAsync(c, cow, cancel);
        string Fail(string message) => $"{kind} ({what}): {message}";

        var inspectArgs = new List<string> { "cow", "inspect", c };
        if (rng.Next(2) == 0) inspectArgs.AddRange(["--origin", o]);
        if (rng.Next(2) == 0) inspectArgs.Add("--table");
        if (rng.Next(2) == 0) inspectArgs.Add("--json");
        var inspect = await CliCall.RunAsync(cancel, [.. inspectArgs]);
        var verify = await CliCall.RunAsync(cancel, "cow", "verify", c, "--origin", o);
        var read = await CliCall.RunAsync(cancel, "cow", "read", "--origin", o, "--cow", c, "--out", v);
        foreach (var (call, findings) in new[] { (inspect, false), (verify, true), (read, false) })
        {
            if (CliVerdict.Problem(call, findings) is string problem) return TrialOutcome.Failure(Fail(problem));
            if ((Changed(o, origin) ?? Changed(c, cow)) is string changed)
                return TrialOutcome.Lost(Fail($"{call.Command} (read-only) modified its input: {changed}"));
        }
        byte[]? view = null;
        if (read.ExitCode == 0)
        {
            view = await File.ReadAllBytesAsync(v, cancel);
            if (view.Length != originBytes) return TrialOutcome.Failure(Fail($"cow read wrote {view.Length} bytes, the origin has {originBytes}"));
        }
        else if (File.Exists(v)) return TrialOutcome.Failure(Fail("cow read failed but left an output file"));

        var merge = await CliCall.RunAsync(cancel, "cow", "merge", "--origin", o, "--cow", c);
        if (CliVerdict.Problem(merge) is string mergeProblem) return TrialOutcome.Failure(Fail(mergeProblem));
        bool clean = verify.ExitCode == 0;
        bool valid = cow.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(cow.AsSpan(4)) != 0;
        if (merge.ExitCode != 0)
        {
            if ((Changed(o, origin) ?? Changed(c, cow)) is string changed)
                return TrialOutcome.Lost(Fail($"the refused merge ({merge.StderrLines.FirstOrDefault()}) modified its input: {changed}"));
            if (clean && valid)
                return TrialOutcome.Failure(Fail($"cow verify called the store clean and valid, yet the merge refused it: {merge.StderrLines.FirstOrDefault()}"));
        }
        else
        {
            if (!clean) return TrialOutcome.Failure(Fail("the merge succeeded on a store cow verify did not call clean"));
            if (view is null) return TrialOutcome.Failure(Fail($"the merge succeeded on a store cow read refused: {read.StderrLines.FirstOrDefault()}"));
            byte[] merged = await File.ReadAllBytesAsync(o, cancel);
            if (!merged.AsSpan().SequenceEqual(view))
                return TrialOutcome.Lost(Fail($"the merged origin differs from the snapshot view read before the merge at byte {merged.AsSpan().CommonPrefixLength(view)}"));
        }
        if (clean && valid && (inspect.ExitCode != 0 || read.ExitCode != 0))
            return TrialOutcome.Failure(Fail($"cow verify called the store clean and valid, yet {(inspect.ExitCode != 0 ? inspect : read).Command} failed: " +
                                             (inspect.ExitCode != 0 ? inspect : read).StderrLines.FirstOrDefault()));
        return TrialOutcome.Passed;
    }

    /// <summary>Null when the file still holds exactly <paramref name="before"/>.</summary>
    private static string? Changed(string path, byte[] before)
    {
        if (!File.Exists(path)) return $"{Path.GetFileName(path)} is gone";
        byte[] now = File.ReadAllBytes(path);
        if (now.Length != before.Length) return $"{Path.GetFileName(path)} is now {now.Length} bytes, was {before.Length}";
        int same = now.AsSpan().CommonPrefixLength(before);
        return same == now.Length ? null : $"{Path.GetFileName(path)} differs at byte {same}";
    }
}
