using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>A check that did not hold after one crash.</summary>
public sealed record CrashFailure(string Check, long CrashAt, LossModel Model, string Message)
{
    public override string ToString() => $"[{Check}] N={CrashAt} {Model}: {Message}";
}

/// <summary>What a sweep over every crash point found.</summary>
public sealed class SweepResult(CrashScenario scenario, IReadOnlyList<LossModel> models)
{
    /// <summary>The checks made after every crash; each test asserts some of them.</summary>
    public static readonly string[] AllChecks =
    [
        Checks.Determinism, Checks.UnexpectedException, Checks.ErrorReported, Checks.Fsck, Checks.HeaderValid,
        Checks.Reopen, Checks.Status, Checks.ExceptionDurable, Checks.PhantomException, Checks.EntryData,
        Checks.SnapshotView, Checks.Origin, Checks.AfterReboot, Checks.VerifyThrew, Checks.Hang,
    ];

    public CrashScenario Scenario { get; } = scenario;
    public IReadOnlyList<LossModel> Models { get; } = models;

    /// <summary>Write and flush operations of the scenario run without a crash: the crash points are 1..T.</summary>
    public long TotalOps { get; set; }

    /// <summary>Highest metadata area each store reached in the run without a crash.</summary>
    public ulong[] FinalCurrentArea { get; set; } = [];

    public int Runs => runs;
    public TimeSpan Elapsed { get; set; }
    public ConcurrentQueue<CrashFailure> Failures { get; } = new();
    public ConcurrentDictionary<string, int> Checked { get; } = new();

    private int runs;

    internal void CountRun() => Interlocked.Increment(ref runs);
    internal void Fail(string check, long n, LossModel model, string message) => Failures.Enqueue(new CrashFailure(check, n, model, message));
    internal void Count(string check, int times = 1) => Checked.AddOrUpdate(check, times, (_, v) => v + times);

    public IReadOnlyList<CrashFailure> FailuresOf(params string[] checks) =>
        Failures.Where(f => checks.Contains(f.Check)).OrderBy(f => f.Model).ThenBy(f => f.CrashAt).ToList();

    public string Summary() =>
        $"{Scenario.Name}: {Scenario.Steps.Count} steps, T = {TotalOps} crash points x {Models.Count} loss model(s) " +
        $"({string.Join(", ", Models)}) = {Runs} crash runs in {Elapsed.TotalSeconds:F1} s; " +
        $"checks made: {string.Join(", ", Checked.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}; " +
        $"failures: {Failures.Count}";

    public static string Describe(IReadOnlyList<CrashFailure> failures, int max = 12)
    {
        if (failures.Count == 0) return "no failures";
        var sb = new StringBuilder();
        sb.AppendLine($"{failures.Count} failure(s); crash points: " +
                      string.Join("; ", failures.GroupBy(f => (f.Check, f.Model)).Select(g =>
                          $"{g.Key.Check}/{g.Key.Model} at N = {string.Join(",", g.Select(f => f.CrashAt).Distinct().Take(30))}{(g.Select(f => f.CrashAt).Distinct().Count() > 30 ? ",…" : "")}")));
        foreach (var f in failures.Take(max)) sb.AppendLine(f.ToString());
        return sb.ToString();
    }
}

public static class Checks
{
    public const string Determinism = "determinism";               // the run reaches operation N
    public const string UnexpectedException = "unexpected-exception"; // nothing throws before the power fails
    public const string ErrorReported = "error-reported";          // the step during which the power failed does not return success
    public const string Fsck = "fsck";                             // CowVerification.Findings is empty
    public const string HeaderValid = "header-valid";              // a crash never invalidates a store
    public const string Reopen = "reopen";                         // fresh engine objects open the images
    public const string Status = "status";                         // status line == a fresh load of the table
    public const string ExceptionDurable = "exception-durable";    // an exception needed by a returned write is in the table
    public const string PhantomException = "phantom-exception";    // no exception for a chunk no started write touched
    public const string EntryData = "entry-data";                  // each committed exception's COW chunk holds a content the view had
    public const string SnapshotView = "snapshot-view";            // each snapshot chunk: a prefix of its history, durable writes present
    public const string Origin = "origin";                         // each origin block: a prefix of its history, durable writes present
    public const string AfterReboot = "after-reboot";              // more writes after reopen behave as the model, store stays clean
    public const string VerifyThrew = "verify-threw";              // the engine threw while being checked
    public const string Hang = "hang";
}

/// <summary>
/// Runs a scenario once without a crash to count its operations T, then for every N in 1..T and every
/// loss model runs it again from the start with the power failing at operation N, reopens fresh engine
/// objects on the disk as found after the reboot, and checks it. Crash runs go in parallel, each on its
/// own copies of the images.
/// </summary>
public static class CrashSweep
{
    private static readonly ConcurrentDictionary<string, Lazy<SweepResult>> Cache = new();

    /// <summary>One sweep per scenario and model set per test process, shared by the tests that look at it.</summary>
    public static SweepResult Cached(Func<CrashScenario> scenario, string key, params LossModel[] models) =>
        Cache.GetOrAdd(key + "|" + string.Join(",", models),
            _ => new Lazy<SweepResult>(() => Run(scenario(), models), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    public static SweepResult Run(CrashScenario scenario, IReadOnlyList<LossModel> models)
    {
        var clock = Stopwatch.StartNew();
        var result = new SweepResult(scenario, models);
        var counting = new Worker(scenario);
        var (total, areas) = counting.CountOperations(result);
        result.TotalOps = total;
        result.FinalCurrentArea = areas;

        var work = models.SelectMany(m => Enumerable.Range(1, (int)total).Select(n => (Model: m, N: (long)n))).ToArray();
        var inProgress = new ConcurrentDictionary<(LossModel, long), byte>();
        var task = Task.Run(() => Parallel.For(0, work.Length,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new Worker(scenario),
            (i, _, worker) =>
            {
                var (model, n) = work[i];
                inProgress[(model, n)] = 0;
                worker.CrashRun(n, model, result);
                inProgress.TryRemove((model, n), out byte _);
                return worker;
            },
            _ => { }));
        if (!task.Wait(TimeSpan.FromMinutes(5)))
            foreach (var (model, n) in inProgress.Keys)
                result.Fail(Checks.Hang, n, model, "the crash run did not finish in 5 minutes (engine hung after the crash?)");
        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>Per-thread images and buffers, reused from one crash run to the next.</summary>
    private sealed class Worker
    {
        private readonly CrashScenario s;
        private readonly byte[] origin;
        private readonly byte[][] cows;
        private readonly byte[][] views;
        private readonly byte[] scratch;
        private readonly byte[] expectedOrigin;

        public Worker(CrashScenario scenario)
        {
            s = scenario;
            origin = new byte[s.OriginBytes];
            cows = s.Snapshots.Select(x => new byte[x.CowBytes]).ToArray();
            views = s.Snapshots.Select(_ => new byte[s.OriginBytes]).ToArray();
            scratch = new byte[s.OriginBytes];
            expectedOrigin = new byte[s.OriginBytes];
        }

        private record Run(CrashPlan Plan, int CrashedStep, Exception? Thrown, bool ThrownAfterCrash, bool ErrorSwallowed);

        private Run Execute(CrashPlan plan)
        {
            var disk = new CrashingDisk(plan);
            s.OriginBase.CopyTo(origin, 0);
            var originFile = disk.Add("origin", origin);
            var cowFiles = new IBlockFile[cows.Length];
            for (int k = 0; k < cows.Length; k++)
            {
                s.CowBases[k].CopyTo(cows[k], 0);
                cowFiles[k] = disk.Add($"cow{k}", cows[k]);
            }
            var o = new Origin(originFile);
            var stores = cowFiles.Select(c => ExceptionStore.Open(c, StoreOpenMode.ReadWrite)).ToArray();
            var snaps = stores.Select(o.Attach).ToArray();
            bool swallowed = false;
            for (int i = 0; i < s.Steps.Count; i++)
            {
                bool crashedBefore = plan.Crashed;
                try
                {
                    switch (s.Steps[i])
                    {
                        case OriginWriteStep w: o.Write(w.Offset, w.Data); break;
                        case SnapshotWriteStep w: snaps[w.Snapshot].Write(w.Offset, w.Data); break;
                        case OriginFlushStep: o.Flush(); break;
                        case StoreFlushStep f: stores[f.Snapshot].Flush(); break;
                    }
                }
                catch (Exception e)
                {
                    bool afterCrash = plan.Crashed;
                    disk.AfterReboot();
                    return new Run(plan, i, e, afterCrash, swallowed);
                }
                if (!crashedBefore && plan.Crashed) swallowed = true;
            }
            disk.AfterReboot();
            return new Run(plan, s.Steps.Count, null, false, swallowed);
        }

        public (long Ops, ulong[] Areas) CountOperations(SweepResult result)
        {
            var run = Execute(CrashPlan.Never());
            if (run.Thrown is not null)
                throw new InvalidOperationException($"{s.Name}: the run without a crash failed at step {run.CrashedStep}: {run.Thrown}");
            Verify(run, -1, LossModel.KeepUnflushed, result, continueAfter: false);
            if (!result.Failures.IsEmpty)
                throw new InvalidOperationException($"{s.Name}: the run without a crash does not match the model:\n" +
                                                    SweepResult.Describe(result.Failures.ToList()));
            var areas = cows.Select((c, k) =>
                ExceptionTable.Read(new MemoryBlockFile(c), ChunkGeometry.FromBytes(s.Snapshots[k].ChunkBytes)).CurrentArea).ToArray();
            result.Checked.Clear();
            return (run.Plan.Operations, areas);
        }

        public void CrashRun(long n, LossModel model, SweepResult result)
        {
            result.CountRun();
            var run = Execute(new CrashPlan(n, model));
            if (run.Thrown is not null && !run.ThrownAfterCrash)
            {
                // Any exception at or after the crash point is fine; one before it is not.
                result.Fail(Checks.UnexpectedException, n, model,
                    $"step {run.CrashedStep} ({s.Steps[run.CrashedStep]}) threw before the power failed: {run.Thrown.GetType().Name}: {run.Thrown.Message}");
                return;
            }
            if (!run.Plan.Crashed)
            {
                result.Fail(Checks.Determinism, n, model, $"the run ended after {run.Plan.Operations} operations without reaching operation {n}");
                return;
            }
            if (run.ErrorSwallowed)
                result.Fail(Checks.ErrorReported, n, model,
                    $"the power failed during a step ({run.Plan.CrashedOperation}) that then returned success; " +
                    $"first exception came from step {run.CrashedStep}");
            if (run.Thrown is null)
            {
                result.Fail(Checks.ErrorReported, n, model, $"power failed at {run.Plan.CrashedOperation} but no step threw");
                return;
            }
            Verify(run, n, model, result, continueAfter: true);
        }

        private void Verify(Run run, long n, LossModel model, SweepResult result, bool continueAfter)
        {
            string where = run.Thrown is null
                ? "no crash"
                : $"crash at '{run.Plan.CrashedOperation}' during step {run.CrashedStep} ({s.Steps[run.CrashedStep]})";
            void Fail(string check, string message) => result.Fail(check, n, model, $"{message} [{where}]");
            try
            {
                VerifyCore(run.CrashedStep, model, result, Fail, continueAfter, n);
            }
            catch (Exception e)
            {
                Fail(Checks.VerifyThrew, $"{e.GetType().Name}: {e.Message}");
            }
        }

        private void VerifyCore(int crashedStep, LossModel model, SweepResult result, Action<string, string> fail, bool continueAfter, long n)
        {
            var m = s.Model;
            var originFile = new MemoryBlockFile(origin, "origin");
            var cowFiles = cows.Select((c, k) => new MemoryBlockFile(c, $"cow{k}")).ToArray();

            bool clean = true;
            for (int k = 0; k < cows.Length; k++)
            {
                var findings = CowVerification.Findings(cowFiles[k], s.OriginBytes);
                result.Count(Checks.Fsck);
                if (findings.Count > 0) { clean = false; fail(Checks.Fsck, $"cow{k}: {string.Join("; ", findings.Take(3))}"); }
                result.Count(Checks.HeaderValid);
                if (!ExceptionStore.ReadHeader(cowFiles[k]).IsValid)
                {
                    clean = false;
                    fail(Checks.HeaderValid, $"cow{k}: the header says valid = 0 after the crash");
                }
            }
            if (!clean) return;

            ExceptionStore[] stores;
            try { stores = cowFiles.Select(c => ExceptionStore.Open(c, StoreOpenMode.ReadWrite)).ToArray(); }
            catch (Exception e) when (e is StorageException or IOException)
            {
                fail(Checks.Reopen, e.Message);
                return;
            }
            result.Count(Checks.Reopen);
            var o = new Origin(originFile);
            var snaps = stores.Select(o.Attach).ToArray();

            for (int k = 0; k < stores.Length; k++)
            {
                result.Count(Checks.Status);
                if (StatusProblem(stores[k], cowFiles[k]) is string problem) fail(Checks.Status, $"cow{k}: {problem}");
            }

            for (int k = 0; k < stores.Length; k++)
            {
                int cb = s.Snapshots[k].ChunkBytes;
                var map = stores[k].SnapshotOfExceptions();
                var first = m.FirstExceptionStep[k];
                for (int c = 0; c < first.Length; c++)
                {
                    bool has = map.ContainsKey((ulong)c);
                    if (first[c] < crashedStep && !has)
                        fail(Checks.ExceptionDurable, $"cow{k}: no exception for chunk {c}, needed by step {first[c]} ({s.Steps[first[c]]}) which returned");
                    else if (first[c] > crashedStep && has)
                        fail(Checks.PhantomException, $"cow{k}: exception for chunk {c}, which only step {(first[c] == ScenarioModel.NoException ? "none" : first[c].ToString())} touches");
                }
                result.Count(Checks.ExceptionDurable, first.Length);
                result.Count(Checks.PhantomException, first.Length);
                foreach (var (oldChunk, newChunk) in map)
                {
                    var history = m.SnapshotChunks[k][oldChunk];
                    var data = cows[k].AsSpan((int)((long)newChunk * cb), history[0].Content.Length);
                    var (_, max) = ScenarioModel.Allowed(history, crashedStep, model, m.StoreFlushSteps[k]);
                    if (Find(history, data, 0, max) < 0)
                        fail(Checks.EntryData, $"cow{k}: entry {oldChunk}->{newChunk}: the COW chunk holds {Describe(history, data)}, " +
                                               $"not the old origin chunk{(history.Count > 1 ? " nor a snapshot write" : "")}");
                    result.Count(Checks.EntryData);
                }
            }

            for (int k = 0; k < snaps.Length; k++)
            {
                snaps[k].Read(0, views[k]);
                int cb = s.Snapshots[k].ChunkBytes;
                var chunks = m.SnapshotChunks[k];
                for (int c = 0; c < chunks.Length; c++)
                {
                    var history = chunks[c];
                    var actual = views[k].AsSpan(c * cb, history[0].Content.Length);
                    var (min, max) = ScenarioModel.Allowed(history, crashedStep, model, m.StoreFlushSteps[k]);
                    if (Find(history, actual, min, max) < 0)
                        fail(Checks.SnapshotView, $"snapshot {k} chunk {c}: holds {Describe(history, actual)}; allowed versions {min}..{max}");
                }
                result.Count(Checks.SnapshotView, chunks.Length);
            }

            // Writes of the same block pending together may land in any subset under NewestUnflushedOnly,
            // so an origin block need not equal any one version there; the origin is checked under the others.
            if (model != LossModel.NewestUnflushedOnly)
            {
                for (int b = 0; b < m.OriginBlocks.Length; b++)
                {
                    var history = m.OriginBlocks[b];
                    var actual = origin.AsSpan(b * CrashScenario.Block, CrashScenario.Block);
                    var (min, max) = ScenarioModel.Allowed(history, crashedStep, model, m.OriginFlushSteps);
                    if (Find(history, actual, min, max) < 0)
                        fail(Checks.Origin, $"origin block {b}: holds {Describe(history, actual)}; allowed versions {min}..{max}");
                }
                result.Count(Checks.Origin, m.OriginBlocks.Length);
            }

            if (continueAfter) ContinueAfterReboot(o, stores, snaps, originFile, cowFiles, n, model, result, fail);
        }

        /// <summary>
        /// The engine keeps working on the recovered disk: origin writes (new exceptions, reused holes,
        /// chunks already mapped) and snapshot writes, then flush; every view must be what the model says,
        /// the stores verify clean, and a second reopen sees the same.
        /// </summary>
        private void ContinueAfterReboot(Origin o, ExceptionStore[] stores, Snapshot[] snaps, MemoryBlockFile originFile,
            MemoryBlockFile[] cowFiles, long n, LossModel model, SweepResult result, Action<string, string> fail)
        {
            var rng = new Random(unchecked((int)(n * 7919 + (int)model)));
            origin.CopyTo(expectedOrigin, 0);
            int[] lengths = [512, 4096, 9216, 20480];
            for (int i = 0; i < 5; i++)
            {
                int length = lengths[rng.Next(lengths.Length)];
                long offset = (long)rng.Next((s.OriginBytes - length) / CrashScenario.Sector) * CrashScenario.Sector;
                byte[] data = new byte[length];
                rng.NextBytes(data);
                o.Write(offset, data);
                data.CopyTo(expectedOrigin, offset);
            }
            if (s.HasSnapshotWrites)
                for (int k = 0; k < snaps.Length; k++)
                    for (int i = 0; i < 2; i++)
                    {
                        int length = lengths[rng.Next(lengths.Length)];
                        long offset = (long)rng.Next((s.OriginBytes - length) / CrashScenario.Sector) * CrashScenario.Sector;
                        byte[] data = new byte[length];
                        rng.NextBytes(data);
                        snaps[k].Write(offset, data);
                        data.CopyTo(views[k], offset);
                    }
            o.Flush();
            foreach (var st in stores) st.Flush();
            result.Count(Checks.AfterReboot);

            if (!origin.AsSpan().SequenceEqual(expectedOrigin))
                fail(Checks.AfterReboot, "origin after more writes differs from the model");
            for (int k = 0; k < snaps.Length; k++)
            {
                if (!stores[k].IsValid) { fail(Checks.AfterReboot, $"cow{k}: invalid after more writes: {stores[k].InvalidReason}"); return; }
                snaps[k].Read(0, scratch);
                if (!scratch.AsSpan().SequenceEqual(views[k]))
                    fail(Checks.AfterReboot, $"snapshot {k}: view after more writes differs from the model at byte {FirstDifference(scratch, views[k])}");
                var findings = CowVerification.Findings(cowFiles[k], s.OriginBytes);
                if (findings.Count > 0) fail(Checks.AfterReboot, $"cow{k} after more writes: {string.Join("; ", findings.Take(3))}");
            }

            // A second reopen of what the continued engine left (on every 4th crash point: it costs a table load).
            if (n % 4 != 0) return;
            var o2 = new Origin(new MemoryBlockFile(origin, "origin"));
            for (int k = 0; k < snaps.Length; k++)
            {
                var cow = new MemoryBlockFile(cows[k], $"cow{k}");
                var store = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
                if (store.StatusLine() != stores[k].StatusLine())
                    fail(Checks.AfterReboot, $"cow{k}: status {stores[k].StatusLine()} before the second reopen, {store.StatusLine()} after");
                if (StatusProblem(store, cow) is string problem) fail(Checks.AfterReboot, $"cow{k} second reopen: {problem}");
                o2.Attach(store).Read(0, scratch);
                if (!scratch.AsSpan().SequenceEqual(views[k]))
                    fail(Checks.AfterReboot, $"snapshot {k}: view after a second reopen differs from the model at byte {FirstDifference(scratch, views[k])}");
            }
        }

        /// <summary>
        /// The status line of an opened store against a fresh, independent reading of the table:
        /// allocated = next_free × chunk (next_free = max new_chunk + 1, moved past a metadata chunk),
        /// metadata = (current area + 2) × chunk with current area = entries / E.
        /// </summary>
        internal static string? StatusProblem(ExceptionStore store, MemoryBlockFile cow)
        {
            var g = ChunkGeometry.FromSectors(ExceptionStore.ReadHeader(cow).ChunkSectors);
            var table = ExceptionTable.Read(cow, g);
            ulong next = 2;
            foreach (var e in table.Entries) if (e.NewChunk + 1 > next) next = e.NewChunk + 1;
            if (next % g.Stride == 1) next++;
            ulong area = (ulong)table.Entries.Count / (ulong)g.ExceptionsPerArea;
            string expected = $"{next * g.ChunkSectors}/{cow.Length / Sectors.Size} {(area + 2) * g.ChunkSectors}";
            string actual = store.StatusLine();
            if (actual != expected) return $"status line '{actual}', a fresh load of the table gives '{expected}'";
            string inspected = CowInspection.Of(cow).Status;
            if (inspected != expected) return $"cow inspect status '{inspected}', expected '{expected}'";
            return null;
        }

        private static int Find(List<Version> history, ReadOnlySpan<byte> actual, int min, int max)
        {
            if (history.Count == 1) return actual.SequenceEqual(history[0].Content) ? 0 : -1;
            for (int v = max; v >= min; v--)
                if (actual.SequenceEqual(history[v].Content)) return v;
            return -1;
        }

        private static string Describe(List<Version> history, ReadOnlySpan<byte> actual)
        {
            int v = Find(history, actual, 0, history.Count - 1);
            return v < 0 ? "data matching none of its versions" : $"version {v} (from step {history[v].Step})";
        }

        private static int FirstDifference(byte[] a, byte[] b) => a.AsSpan().CommonPrefixLength(b);
    }
}
