using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>One step of a crash scenario, executed against fresh engine objects.</summary>
public abstract record Step;

public sealed record OriginWriteStep(long Offset, byte[] Data) : Step
{
    public override string ToString() => $"origin write {Data.Length} bytes at {Offset}";
}

public sealed record SnapshotWriteStep(int Snapshot, long Offset, byte[] Data) : Step
{
    public override string ToString() => $"snapshot {Snapshot} write {Data.Length} bytes at {Offset}";
}

public sealed record OriginFlushStep : Step
{
    public override string ToString() => "origin flush";
}

public sealed record StoreFlushStep(int Snapshot) : Step
{
    public override string ToString() => $"store {Snapshot} flush";
}

/// <summary>A snapshot of the origin: its chunk size and COW size.</summary>
public sealed record SnapshotSpec(int ChunkBytes, int CowBytes)
{
    public override string ToString() => $"{ChunkBytes / 1024}K";
}

/// <summary>
/// A deterministic workload: an origin image, snapshots taken of it (formatted COWs, the rest of each COW
/// full of stale garbage as on a reused LV), and a list of steps. <see cref="Model"/> holds, for every
/// unit, each content it had over the sequence.
/// </summary>
public sealed class CrashScenario
{
    public const int Sector = 512;
    public const int Block = 4096;

    private CrashScenario(string name, byte[] originBase, SnapshotSpec[] snapshots, byte[][] cowBases, List<Step> steps)
    {
        Name = name;
        OriginBase = originBase;
        Snapshots = snapshots;
        CowBases = cowBases;
        Steps = steps;
        Model = new ScenarioModel(this);
    }

    public string Name { get; }
    public byte[] OriginBase { get; }
    public int OriginBytes => OriginBase.Length;
    public SnapshotSpec[] Snapshots { get; }
    public byte[][] CowBases { get; }
    public IReadOnlyList<Step> Steps { get; }
    public ScenarioModel Model { get; }

    public bool HasSnapshotWrites => Steps.Any(s => s is SnapshotWriteStep);

    public override string ToString() => Name;

    private static (byte[] Origin, SnapshotSpec[] Specs, byte[][] Cows) Devices(int seed, int originBytes, int[] chunkSizes)
    {
        var rng = new Random(seed);
        byte[] origin = new byte[originBytes];
        rng.NextBytes(origin);
        var specs = chunkSizes.Select(c => new SnapshotSpec(c, originBytes + (1 << 20))).ToArray();
        var cows = new byte[specs.Length][];
        for (int i = 0; i < specs.Length; i++)
        {
            cows[i] = new byte[specs[i].CowBytes];
            rng.NextBytes(cows[i]); // stale data: only what the engine zeroes reads as zero
            using var store = ExceptionStore.Format(new MemoryBlockFile(cows[i], $"cow{i}"), ChunkGeometry.FromBytes(specs[i].ChunkBytes));
        }
        return (origin, specs, cows);
    }

    /// <summary>
    /// Scenario A: origin writes only (aligned multi-chunk, sub-chunk, unaligned across chunks, rewrites),
    /// with origin and store flushes sprinkled in. Touches more than 256 distinct 4K chunks, and one
    /// 16-chunk write is placed so that it fills area 0 of a 4K store part way through.
    /// </summary>
    public static CrashScenario OriginWrites(params int[] chunkSizes)
    {
        const int seed = 4242;
        const int originBytes = 2 << 20;
        var (origin, specs, cows) = Devices(seed, originBytes, chunkSizes);
        var rng = new Random(seed + 1);
        var steps = new List<Step>();
        var gen = new WriteGenerator(rng, originBytes);
        bool bigWriteDone = false;
        for (int i = 0; i < 300; i++)
        {
            if (i % 13 == 12) steps.Add(new OriginFlushStep());
            if (i % 29 == 28) steps.Add(new StoreFlushStep(i % specs.Length));
            if (!bigWriteDone && gen.TouchedBlocks >= 246)
            {
                steps.Add(new OriginWriteStep(gen.FreshAligned(16), gen.Data(16 * Block)));
                bigWriteDone = true;
                continue;
            }
            var (offset, length) = rng.NextDouble() < 0.45 && gen.CanGoFresh ? gen.Fresh() : gen.Rewrite();
            steps.Add(new OriginWriteStep(offset, gen.Data(length)));
        }
        if (gen.TouchedBlocks <= 280 || !bigWriteDone)
            throw new InvalidOperationException($"scenario A touches only {gen.TouchedBlocks} blocks");
        return new CrashScenario($"A origin writes, snapshots {string.Join("+", specs.Select(s => s.ToString()))}",
            origin, specs, cows, steps);
    }

    /// <summary>
    /// Scenario B: snapshot writes (new and existing exceptions, sub-chunk, multi-chunk, unaligned) mixed
    /// with origin writes, origin flushes and store flushes.
    /// </summary>
    public static CrashScenario MixedWrites(params int[] chunkSizes)
    {
        const int seed = 777;
        const int originBytes = 2 << 20;
        var (origin, specs, cows) = Devices(seed, originBytes, chunkSizes);
        var rng = new Random(seed + 1);
        var steps = new List<Step>();
        var gen = new WriteGenerator(rng, originBytes);
        for (int i = 0; i < 160; i++)
        {
            if (i % 11 == 10) steps.Add(new OriginFlushStep());
            if (i % 7 == 6) steps.Add(new StoreFlushStep(rng.Next(specs.Length)));
            if (rng.NextDouble() < 0.5)
            {
                var (offset, length) = rng.NextDouble() < 0.5 && gen.CanGoFresh ? gen.Fresh() : gen.Rewrite();
                steps.Add(new OriginWriteStep(offset, gen.Data(length)));
            }
            else
            {
                var (offset, length) = gen.Anywhere();
                steps.Add(new SnapshotWriteStep(rng.Next(specs.Length), offset, gen.Data(length)));
            }
        }
        return new CrashScenario($"B mixed writes, snapshots {string.Join("+", specs.Select(s => s.ToString()))}",
            origin, specs, cows, steps);
    }

    /// <summary>Sector-aligned writes: fresh ones walk up the device leaving gaps, rewrites revisit.</summary>
    private sealed class WriteGenerator(Random rng, int deviceBytes)
    {
        private readonly HashSet<int> touched = [];
        private int cursor; // in blocks

        public int TouchedBlocks => touched.Count;
        public bool CanGoFresh => cursor < deviceBytes / Block - 24;

        public byte[] Data(int length)
        {
            byte[] data = new byte[length];
            rng.NextBytes(data);
            return data;
        }

        public long FreshAligned(int blocks)
        {
            long offset = (long)cursor * Block;
            Touch(offset, blocks * Block);
            cursor += blocks;
            return offset;
        }

        public (long, int) Fresh()
        {
            cursor += rng.Next(0, 2);
            long start = (long)cursor * Block;
            (long offset, int length) = rng.Next(4) switch
            {
                0 => (start, Block * rng.Next(1, 5)),                            // aligned, 1-4 chunks
                1 => Sub(start),                                                 // inside one chunk
                2 => (start + Block / 2, Block + Sector * rng.Next(1, 9)),       // unaligned, across 2 chunks
                _ => (start + Sector * rng.Next(1, 8), 2 * Block + Sector * rng.Next(0, 8)), // 3 chunks, ragged
            };
            Touch(offset, length);
            cursor = (int)((offset + length + Block - 1) / Block);
            return (offset, length);
        }

        public (long, int) Rewrite()
        {
            if (touched.Count == 0) return Fresh();
            int block = touched.ElementAt(rng.Next(touched.Count));
            var (offset, length) = rng.Next(3) switch
            {
                0 => Sub((long)block * Block),
                1 => ((long)block * Block, Block),
                _ => ((long)block * Block + Sector * rng.Next(0, 8), Block + Sector * rng.Next(1, 16)),
            };
            length = (int)Math.Min(length, deviceBytes - offset);
            Touch(offset, length);
            return (offset, length);
        }

        public (long, int) Anywhere()
        {
            int block = rng.Next(deviceBytes / Block);
            var (offset, length) = rng.Next(4) switch
            {
                0 => Sub((long)block * Block),
                1 => ((long)block * Block, Block * rng.Next(1, 4)),
                2 => ((long)block * Block + Block / 2, Block),
                _ => ((long)block * Block + Sector * rng.Next(0, 8), Sector * rng.Next(1, 20)),
            };
            length = (int)Math.Min(length, deviceBytes - offset);
            return (offset, length);
        }

        private (long, int) Sub(long chunkStart)
        {
            int first = rng.Next(0, 7);
            int sectors = rng.Next(1, 8 - first);
            return (chunkStart + first * Sector, sectors * Sector);
        }

        private void Touch(long offset, int length)
        {
            for (long b = offset / Block; b <= (offset + length - 1) / Block; b++) touched.Add((int)b);
        }
    }
}

/// <summary>One content a unit (origin block or snapshot chunk) had, and the step that produced it (-1 = initial).</summary>
public readonly record struct Version(int Step, byte[] Content);

/// <summary>
/// The expected history of a scenario, computed without the engine: every content each 4K origin block
/// and each snapshot chunk (in that snapshot's chunk size) had, the step at which each snapshot first
/// needs an exception for a chunk, and where the flushes are.
/// </summary>
public sealed class ScenarioModel
{
    public const int NoException = int.MaxValue;

    public ScenarioModel(CrashScenario s)
    {
        int blocks = s.OriginBytes / CrashScenario.Block;
        OriginBlocks = new List<Version>[blocks];
        for (int b = 0; b < blocks; b++)
            OriginBlocks[b] = [new Version(-1, s.OriginBase.AsSpan(b * CrashScenario.Block, CrashScenario.Block).ToArray())];
        SnapshotChunks = new List<Version>[s.Snapshots.Length][];
        FirstExceptionStep = new int[s.Snapshots.Length][];
        for (int k = 0; k < s.Snapshots.Length; k++)
        {
            int cb = s.Snapshots[k].ChunkBytes;
            int chunks = (s.OriginBytes + cb - 1) / cb;
            SnapshotChunks[k] = new List<Version>[chunks];
            FirstExceptionStep[k] = Enumerable.Repeat(NoException, chunks).ToArray();
            for (int c = 0; c < chunks; c++)
            {
                int len = Math.Min(cb, s.OriginBytes - c * cb);
                SnapshotChunks[k][c] = [new Version(-1, s.OriginBase.AsSpan(c * cb, len).ToArray())];
            }
        }
        var originFlushes = new List<int>();
        var storeFlushes = s.Snapshots.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < s.Steps.Count; i++)
        {
            switch (s.Steps[i])
            {
                case OriginWriteStep w:
                    Apply(OriginBlocks, CrashScenario.Block, i, w.Offset, w.Data);
                    for (int k = 0; k < s.Snapshots.Length; k++)
                        NeedExceptions(k, s.Snapshots[k].ChunkBytes, i, w.Offset, w.Data.Length);
                    break;
                case SnapshotWriteStep w:
                    Apply(SnapshotChunks[w.Snapshot], s.Snapshots[w.Snapshot].ChunkBytes, i, w.Offset, w.Data);
                    NeedExceptions(w.Snapshot, s.Snapshots[w.Snapshot].ChunkBytes, i, w.Offset, w.Data.Length);
                    break;
                case OriginFlushStep: originFlushes.Add(i); break;
                case StoreFlushStep f: storeFlushes[f.Snapshot].Add(i); break;
            }
        }
        OriginFlushSteps = originFlushes.ToArray();
        StoreFlushSteps = storeFlushes.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>[block] → contents of that 4K origin block, oldest first.</summary>
    public List<Version>[] OriginBlocks { get; }

    /// <summary>[snapshot][chunk] → contents of that chunk of the snapshot's view, oldest first.</summary>
    public List<Version>[][] SnapshotChunks { get; }

    /// <summary>[snapshot][chunk] → first step whose write needs an exception there, or <see cref="NoException"/>.</summary>
    public int[][] FirstExceptionStep { get; }

    public int[] OriginFlushSteps { get; }
    public int[][] StoreFlushSteps { get; }

    private void NeedExceptions(int snapshot, int chunkBytes, int step, long offset, int length)
    {
        for (long c = offset / chunkBytes; c <= (offset + length - 1) / chunkBytes; c++)
            if (FirstExceptionStep[snapshot][c] == NoException) FirstExceptionStep[snapshot][c] = step;
    }

    private static void Apply(List<Version>[] units, int unitBytes, int step, long offset, byte[] data)
    {
        for (long u = offset / unitBytes; u <= (offset + data.Length - 1) / unitBytes; u++)
        {
            var history = units[u];
            byte[] content = (byte[])history[^1].Content.Clone();
            long unitStart = u * unitBytes;
            long from = Math.Max(offset, unitStart);
            long to = Math.Min(offset + data.Length, unitStart + content.Length);
            data.AsSpan((int)(from - offset), (int)(to - from)).CopyTo(content.AsSpan((int)(from - unitStart)));
            history.Add(new Version(step, content));
        }
    }

    /// <summary>
    /// Which versions of a unit are acceptable after a crash during step <paramref name="crashedStep"/>
    /// (steps before it returned): at most the version of the crashed step; at least the newest version
    /// whose write is known durable: under <see cref="LossModel.KeepUnflushed"/> every returned write,
    /// otherwise every write followed by a completed flush of its device.
    /// </summary>
    public static (int Min, int Max) Allowed(List<Version> history, int crashedStep, LossModel model, int[] flushSteps)
    {
        if (history.Count == 1) return (0, 0);
        int durableBefore = model == LossModel.KeepUnflushed ? crashedStep : LastBefore(flushSteps, crashedStep);
        int min = 0, max = 0;
        for (int v = 0; v < history.Count; v++)
        {
            if (history[v].Step < durableBefore) min = v;
            if (history[v].Step <= crashedStep) max = v;
        }
        return (min, max);
    }

    /// <summary>The last flush step before <paramref name="step"/>, or -1.</summary>
    public static int LastBefore(int[] flushSteps, int step)
    {
        int last = -1;
        foreach (int f in flushSteps) if (f < step) last = f;
        return last;
    }
}
