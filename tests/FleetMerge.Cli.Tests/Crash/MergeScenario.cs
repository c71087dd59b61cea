using System.Globalization;
using System.Text.Json;
using FleetMerge.Cli.Cow;

namespace FleetMerge.Cli.Tests.Crash;

/// <summary>How big and how fragmented a generated scenario is.</summary>
public sealed record ScenarioShape(int MinOriginMiB, int MaxOriginMiB, int MinRuns, int MaxRuns, int MaxRunChunks, int MinSingles, int MaxSingles, int BulkChunks = 0, bool RaggedEnd = true)
{
    /// <summary>
    /// 36–52 MiB origin, mostly overwritten: some 6500–11000 4K exceptions over 26–44 areas (two or
    /// three merge groups of 4096 chunks), runs cut by random-order single chunks into 200–450 merge batches.
    /// </summary>
    public static ScenarioShape Default { get; } = new(36, 52, 12, 24, 2000, 100, 300);

    /// <summary>
    /// A 48 MiB origin copied whole by its first write: exactly 12288 exceptions = 48 full areas, so
    /// the table ends on an area boundary and every 4096-chunk merge group empties exactly 16 areas.
    /// Later writes only change data.
    /// </summary>
    public static ScenarioShape AreaAligned { get; } = new(48, 48, 3, 8, 500, 50, 100, BulkChunks: 12288, RaggedEnd: false);
}

/// <summary>
/// One random merge scenario on real files in its own temp directory: an origin with random
/// content, snapshot 1 (4K chunks) holding many exceptions (consecutive runs, random-order single
/// chunks, snapshot writes) and optionally snapshot 2 (16K chunks), created part way through the
/// writes. Every write is applied to a plain in-memory model too, so the expected views are known
/// independently of FleetMerge. The writes go through the engine in-process (CowFiles, as
/// `cow write` does; hundreds of CLI calls would take minutes) plus two real `cow write` calls.
/// </summary>
public sealed class MergeScenario : IDisposable
{
    public const int Chunk1 = 4096;
    public const int Chunk2 = 16384;

    private MergeScenario(int seed, string dir)
    {
        Seed = seed;
        Dir = dir;
    }

    public int Seed { get; }
    public string Dir { get; }
    public string Origin => Path.Combine(Dir, "origin.img");
    public string Cow1 => Path.Combine(Dir, "snap1.cow");
    public string Cow2 => Path.Combine(Dir, "snap2.cow");
    public bool TwoSnapshots { get; private set; }
    public long OriginBytes { get; private set; }

    /// <summary>The origin as the test wrote it (before the merge).</summary>
    public byte[] OriginModel { get; private set; } = [];

    /// <summary>Snapshot 1's view per the model: what the origin must hold after the merge.</summary>
    public byte[] Snap1Model { get; private set; } = [];

    /// <summary>Snapshot 2's view per the model: must not change through the merge.</summary>
    public byte[]? Snap2Model { get; private set; }

    public int Writes { get; private set; }

    /// <summary>Seconds spent building the scenario (writes included).</summary>
    public double SetupSeconds { get; private set; }

    /// <summary>Keeps the directory on disk (a failing trial, for inspection).</summary>
    public bool Keep { get; set; }

    public string[] MergeArgs(long? maxRate, params string[] extra)
    {
        var args = new List<string> { "cow", "merge", "--origin", Origin, "--cow", Cow1 };
        if (TwoSnapshots) args.AddRange(["--also", Cow2]);
        if (maxRate is long r) args.AddRange(["--max-rate", r.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(extra);
        return args.ToArray();
    }

    public static MergeScenario Create(int seed, bool? twoSnapshots = null, ScenarioShape? shape = null)
    {
        shape ??= ScenarioShape.Default;
        string dir = Path.Combine(Path.GetTempPath(), "fleetmerge-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var s = new MergeScenario(seed, dir);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            s.Build(new Random(seed), twoSnapshots, shape);
            s.SetupSeconds = clock.Elapsed.TotalSeconds;
            return s;
        }
        catch
        {
            s.Keep = true;
            s.Dispose();
            throw;
        }
    }

    private abstract record Op;
    private sealed record OriginWrite(long Offset, byte[] Data) : Op;
    private sealed record SnapshotWrite(int Snapshot, long Offset, byte[] Data) : Op;

    private void Build(Random rng, bool? twoSnapshots, ScenarioShape shape)
    {
        TwoSnapshots = twoSnapshots ?? rng.Next(2) == 0;
        OriginBytes = (long)rng.Next(shape.MinOriginMiB, shape.MaxOriginMiB + 1) << 20;
        if (shape.RaggedEnd && rng.Next(5) == 0) OriginBytes += rng.Next(1, 32) * 512L; // a ragged last chunk, as an LV of odd sectors
        OriginModel = new byte[OriginBytes];
        FastFill(rng, OriginModel);
        File.WriteAllBytes(Origin, OriginModel);
        Snap1Model = (byte[])OriginModel.Clone();

        long cowBytes = (((OriginBytes + OriginBytes / 256 + 4 * Chunk2) >> 20) + 2) << 20; // never fills
        Cli("cow", "format", Cow1, "--size", cowBytes.ToString(CultureInfo.InvariantCulture), "--chunk-size", "4K");

        int originChunks = (int)((OriginBytes + Chunk1 - 1) / Chunk1);
        // Most singles come before most runs: a single written after a run covered its chunk makes no
        // exception, and a run over earlier singles is cut into many merge batches.
        var bulk = new List<Op>();
        var early = new List<Op>();
        var late = new List<Op>();
        if (shape.BulkChunks > 0) // one long run first: a table that surely spans several merge groups
        {
            long offset = (long)rng.Next(Math.Max(1, originChunks - shape.BulkChunks)) * Chunk1;
            bulk.Add(new OriginWrite(offset, Bytes(rng, Clip(offset, shape.BulkChunks * Chunk1))));
        }
        int runs = rng.Next(shape.MinRuns, shape.MaxRuns + 1);
        for (int i = 0; i < runs; i++)
        {
            int chunks = rng.Next(1, shape.MaxRunChunks + 1);
            long offset = (long)rng.Next(originChunks) * Chunk1;
            int length = chunks * Chunk1;
            if (rng.Next(3) == 0) { offset = Math.Min(offset + rng.Next(Chunk1), OriginBytes - 1); length -= rng.Next(Chunk1); } // unaligned ends: partial chunks
            (rng.Next(4) == 0 ? early : late).Add(new OriginWrite(offset, Bytes(rng, Clip(offset, length))));
        }
        int singles = rng.Next(shape.MinSingles, shape.MaxSingles + 1);
        for (int i = 0; i < singles; i++)
        {
            long offset = Math.Min((long)rng.Next(originChunks) * Chunk1 + rng.Next(Chunk1 / 2), OriginBytes - 1);
            int length = rng.Next(1, Chunk1 + 1);
            // Stay inside the chunk: one exception each, allocated in random order of origin chunks.
            length = (int)Math.Min(length, (offset / Chunk1 + 1) * Chunk1 - offset);
            (rng.Next(5) != 0 ? early : late).Add(new OriginWrite(offset, Bytes(rng, Clip(offset, length))));
        }
        int snapshotWrites = rng.Next(3, 12);
        for (int i = 0; i < snapshotWrites; i++)
        {
            long offset = rng.NextInt64(OriginBytes - 1);
            int length = rng.Next(1, 64 * Chunk1);
            (rng.Next(2) == 0 ? early : late).Add(new SnapshotWrite(0, offset, Bytes(rng, Clip(offset, length))));
        }
        Shuffle(rng, early);
        Shuffle(rng, late);
        var ops = bulk.Concat(early).Concat(late).ToList();

        // Snapshot 2 comes part way through: writes before it are not in its COW.
        int split = TwoSnapshots ? rng.Next(ops.Count / 4, 3 * ops.Count / 4) : ops.Count;
        Apply(ops.Take(split), [Cow1]);
        CliWriteOrigin(rng, [Cow1]);
        if (TwoSnapshots)
        {
            Snap2Model = (byte[])OriginModel.Clone();
            Cli("cow", "format", Cow2, "--size", cowBytes.ToString(CultureInfo.InvariantCulture), "--chunk-size", "16K");
            var later = ops.Skip(split).ToList();
            int snap2Writes = rng.Next(1, 5);
            for (int i = 0; i < snap2Writes; i++)
            {
                long offset = rng.NextInt64(OriginBytes - 1);
                later.Insert(rng.Next(later.Count + 1), new SnapshotWrite(1, offset, Bytes(rng, Clip(offset, rng.Next(1, 16 * Chunk2)))));
            }
            Apply(later, [Cow1, Cow2]);
            CliWriteOrigin(rng, [Cow1, Cow2]);
        }
        CliWriteSnapshot(rng);
    }

    private int Clip(long offset, int length) => (int)Math.Max(1, Math.Min(length, OriginBytes - offset));

    private static byte[] Bytes(Random rng, int length)
    {
        var b = new byte[length];
        if (rng.Next(4) == 0) Array.Fill(b, (byte)rng.Next(256));
        else FastFill(rng, b);
        return b;
    }

    /// <summary>Seeded random bytes at memory speed (a seeded System.Random fills slowly): xorshift64* seeded from <paramref name="rng"/>.</summary>
    private static void FastFill(Random rng, Span<byte> into)
    {
        ulong x = (ulong)rng.NextInt64() | 1;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(into);
        for (int i = 0; i < words.Length; i++)
        {
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
            words[i] = x * 0x2545F4914F6CDD1DUL;
        }
        for (int i = words.Length * 8; i < into.Length; i++) into[i] = (byte)rng.Next(256);
    }

    private static void Shuffle<T>(Random rng, List<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private byte[] ModelOf(int snapshot) => snapshot == 0 ? Snap1Model : Snap2Model!;

    public double ApplySeconds { get; private set; }

    private void Apply(IEnumerable<Op> ops, string[] cows)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var files = new CowFiles(Origin, cows, writable: true);
        foreach (var op in ops)
        {
            switch (op)
            {
                case OriginWrite w:
                    files.Origin.Write(w.Offset, w.Data);
                    w.Data.CopyTo(OriginModel, w.Offset);
                    break;
                case SnapshotWrite w:
                    files.Snapshots[w.Snapshot].Write(w.Offset, w.Data);
                    w.Data.CopyTo(ModelOf(w.Snapshot), w.Offset);
                    break;
            }
            Writes++;
        }
        files.Origin.Flush();
        foreach (var s in files.Snapshots) s.Store.Flush();
        ApplySeconds += clock.Elapsed.TotalSeconds;
    }

    /// <summary>One real `cow write --to origin --in FILE` (a run through the CLI).</summary>
    private void CliWriteOrigin(Random rng, string[] cows)
    {
        long offset = rng.NextInt64(OriginBytes - 1);
        var data = Bytes(rng, Clip(offset, rng.Next(1, 96 * Chunk1)));
        string input = Path.Combine(Dir, "write.bin");
        File.WriteAllBytes(input, data);
        var args = new List<string> { "cow", "write", "--origin", Origin };
        foreach (var c in cows) args.AddRange(["--cow", c]);
        args.AddRange(["--to", "origin", "--offset", offset.ToString(CultureInfo.InvariantCulture), "--in", input]);
        Cli(args.ToArray());
        data.CopyTo(OriginModel, offset);
        File.Delete(input);
        Writes++;
    }

    /// <summary>One real `cow write --to snapshot --byte B --length N` on snapshot 1.</summary>
    private void CliWriteSnapshot(Random rng)
    {
        long offset = rng.NextInt64(OriginBytes - 1);
        int length = Clip(offset, rng.Next(1, 8 * Chunk1));
        byte value = (byte)rng.Next(256);
        Cli("cow", "write", "--origin", Origin, "--cow", Cow1, "--to", "snapshot", "--offset", offset.ToString(CultureInfo.InvariantCulture),
            "--byte", value.ToString(CultureInfo.InvariantCulture), "--length", length.ToString(CultureInfo.InvariantCulture));
        Array.Fill(Snap1Model, value, (int)offset, length);
        Writes++;
    }

    public Dictionary<string, (int Calls, double Seconds)> CliTime { get; } = new();

    private CliProcess.Result Timed(string[] args)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = CliProcess.Run(Dir, args);
        string key = string.Join(' ', args.Take(2));
        lock (CliTime)
        {
            CliTime.TryGetValue(key, out var t);
            CliTime[key] = (t.Calls + 1, t.Seconds + clock.Elapsed.TotalSeconds);
        }
        return r;
    }

    public CliProcess.Result Cli(params string[] args)
    {
        var r = Timed(args);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"fleetmerge {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr.Trim()}");
        return r;
    }

    /// <summary>`cow read` of a snapshot's view into a file, returned as bytes.</summary>
    public byte[] ReadView(string cow, string name)
    {
        string output = Path.Combine(Dir, name);
        Cli("cow", "read", "--origin", Origin, "--cow", cow, "--out", output);
        var bytes = File.ReadAllBytes(output);
        File.Delete(output);
        return bytes;
    }

    public sealed record Inspection(long Exceptions, int AreasUsed, int Valid, string Status)
    {
        /// <summary>Kernel status "allocated/total metadata": merge complete when allocated == metadata.</summary>
        public bool MergeComplete
        {
            get
            {
                var parts = Status.Split(' ', '/');
                return parts.Length == 3 && parts[0] == parts[2];
            }
        }
    }

    public Inspection Inspect(string cow)
    {
        var r = Cli("cow", "inspect", cow, "--json");
        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        return new Inspection(root.GetProperty("exceptions").GetInt64(), root.GetProperty("areasUsed").GetInt32(),
            root.GetProperty("valid").GetInt32(), root.GetProperty("status").GetString()!);
    }

    /// <summary>`cow verify COW --origin O`: exit code and output (0 = clean).</summary>
    public CliProcess.Result Verify(string cow) => Timed(["cow", "verify", cow, "--origin", Origin]);

    /// <summary>Empty when equal, else where they differ (4K chunks, first few offsets), for the failure message.</summary>
    public static string Difference(byte[] expected, byte[] actual)
    {
        if (expected.Length != actual.Length) return $"length {actual.Length}, expected {expected.Length}";
        if (expected.AsSpan().SequenceEqual(actual)) return "";
        var chunks = new List<long>();
        int count = 0;
        for (long c = 0; c * Chunk1 < expected.Length; c++)
        {
            int start = (int)(c * Chunk1), length = (int)Math.Min(Chunk1, expected.Length - start);
            int at = expected.AsSpan(start, length).CommonPrefixLength(actual.AsSpan(start, length));
            if (at == length) continue;
            count++;
            if (chunks.Count < 12) chunks.Add(c);
        }
        long first = expected.AsSpan().CommonPrefixLength(actual);
        return $"{count} 4K chunks differ (first byte {first}: expected 0x{expected[first]:x2}, got 0x{actual[first]:x2}); chunks {string.Join(", ", chunks)}{(count > chunks.Count ? ", …" : "")}";
    }

    public void Dispose()
    {
        if (Keep) return;
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
