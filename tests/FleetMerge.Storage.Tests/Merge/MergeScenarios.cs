using System.Text;
using FleetMerge.Storage.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;

namespace FleetMerge.Storage.Tests.Merge;

public enum PartKind
{
    Run, RandomOrder, Descending, ShuffledRuns, MergingSnapshotWrite, SiblingWrite, OriginWrite, AddSibling,
    /// <summary>Whole-origin shapes of the large (multi-group) scenarios.</summary>
    WholeRun, WholeDescending, WholeShuffledRuns,
}

/// <summary>
/// One piece of the pre-merge history, expanded deterministically into build steps
/// (<see cref="MergeScenario.Build"/>); A and B are folded into the origin's chunks.
/// </summary>
public sealed record ShapePart(PartKind Kind, int A, int B, int Seed)
{
    public override string ToString() => $"{Kind}({A}, {B}, #{Seed})";
}

public enum DuringKind { OriginWrite, OriginRead, OriginFlush, SiblingRead }

/// <summary>Origin or sibling I/O while the merge runs. Target = sibling number (modulo the siblings).</summary>
public sealed record DuringOp(DuringKind Kind, int Target, int Offset, int Length, int Seed)
{
    public override string ToString() => Kind switch
    {
        DuringKind.OriginWrite => $"origin.Write({Offset}, {Length}B #{Seed})",
        DuringKind.OriginRead => $"origin.Read({Offset}, {Length})",
        DuringKind.OriginFlush => "origin.Flush()",
        _ => $"sibling[{Target}].Read({Offset}, {Length})",
    };
}

/// <summary>
/// An origin of <see cref="OriginBytes"/> (content from <see cref="Seed"/>), siblings attached before the
/// merging snapshot (<see cref="SiblingsBefore"/>, chunk sizes), the merging snapshot
/// (<see cref="MergeChunk"/>), the history <see cref="Parts"/>, then the merge with
/// <see cref="Interludes"/>[0] done after Start and before Run, [i] from the i-th progress callback.
/// </summary>
public sealed record MergeScenario(int OriginBytes, int MergeChunk, int[] SiblingsBefore, ShapePart[] Parts, DuringOp[][] Interludes, int Seed)
{
    public const int MaxSiblings = 2;

    public bool Large => Parts.Any(p => p.Kind is PartKind.WholeRun or PartKind.WholeDescending or PartKind.WholeShuffledRuns);

    public int MergingIndex => SiblingsBefore.Length;

    public override string ToString()
    {
        var s = new StringBuilder();
        s.Append($"origin {OriginBytes} B (seed {Seed}), siblings before [{string.Join(", ", SiblingsBefore.Select(c => c / 1024 + "K"))}], " +
                 $"merging {MergeChunk / 1024}K, parts: {string.Join(" ", Parts.Select(p => p.ToString()))}");
        for (int i = 0; i < Interludes.Length; i++)
            s.Append($"\n  interlude {i}: {string.Join("; ", Interludes[i].Select(o => o.ToString()))}");
        return s.ToString();
    }

    /// <summary>The build steps: siblings before, the merging snapshot, then each part.</summary>
    public List<BuildOp> Build()
    {
        var ops = new List<BuildOp>();
        foreach (int c in SiblingsBefore) ops.Add(new BuildOp(BuildKind.AddSnapshot, c, 0, 0, 0));
        ops.Add(new BuildOp(BuildKind.AddSnapshot, MergeChunk, 0, 0, 0));
        int snapshots = SiblingsBefore.Length + 1;
        int chunk = MergeChunk;
        long chunks = (OriginBytes + chunk - 1) / chunk;
        foreach (var p in Parts)
        {
            var rng = new Random(p.Seed);
            long first = (long)(uint)p.A % chunks;
            switch (p.Kind)
            {
                case PartKind.Run:
                {
                    // Mostly short runs; one in three long enough to fill an area or two at 4K.
                    long count = 1 + (p.B % 3 == 0 ? p.B % 400 : p.B % 64);
                    ops.AddRange(TableShapes.Run(OriginBytes, chunk, first, Math.Min(count, chunks - first), p.Seed));
                    break;
                }
                case PartKind.RandomOrder:
                    ops.AddRange(TableShapes.Shuffled(OriginBytes, chunk, first, Math.Min(1 + p.B % 48, chunks - first), rng));
                    break;
                case PartKind.Descending:
                    ops.AddRange(TableShapes.Descending(OriginBytes, chunk, first, Math.Min(1 + p.B % 48, chunks - first), rng));
                    break;
                case PartKind.ShuffledRuns:
                    ops.AddRange(TableShapes.ShuffledRuns(OriginBytes, chunk, first, Math.Min(1 + p.B % 300, chunks - first), 1 + p.Seed % 8, rng));
                    break;
                case PartKind.MergingSnapshotWrite:
                {
                    var (offset, length) = RangeOf(p, 3 * chunk);
                    ops.Add(new BuildOp(BuildKind.SnapshotWrite, MergingIndex, offset, length, p.Seed));
                    break;
                }
                case PartKind.SiblingWrite:
                {
                    if (snapshots == 1) break;
                    int target = (int)((uint)p.Seed % (uint)(snapshots - 1));
                    if (target >= MergingIndex) target++;
                    var (offset, length) = RangeOf(p, 3 * 65536);
                    ops.Add(new BuildOp(BuildKind.SnapshotWrite, target, offset, length, p.Seed));
                    break;
                }
                case PartKind.OriginWrite:
                {
                    var (offset, length) = RangeOf(p, 3 * 65536);
                    ops.Add(new BuildOp(BuildKind.OriginWrite, 0, offset, length, p.Seed));
                    break;
                }
                case PartKind.AddSibling:
                    if (snapshots - 1 >= MaxSiblings) break;
                    ops.Add(new BuildOp(BuildKind.AddSnapshot, StorageGen.ChunkSizes[(uint)p.A % StorageGen.ChunkSizes.Length], 0, 0, 0));
                    snapshots++;
                    break;
                case PartKind.WholeRun:
                    ops.AddRange(TableShapes.Run(OriginBytes, chunk, 0, chunks, p.Seed));
                    break;
                case PartKind.WholeDescending:
                    ops.AddRange(TableShapes.Descending(OriginBytes, chunk, 0, chunks, rng));
                    break;
                case PartKind.WholeShuffledRuns:
                    ops.AddRange(TableShapes.ShuffledRuns(OriginBytes, chunk, 0, chunks, 1 + p.Seed % 6, rng));
                    break;
            }
        }
        return ops;
    }

    private (long Offset, int Length) RangeOf(ShapePart p, int maxLength)
    {
        long offset = (long)(uint)p.A % OriginBytes;
        int length = (int)Math.Min(1 + (uint)p.B % (uint)maxLength, OriginBytes - offset);
        return (offset, length);
    }
}

public static class MergeGen
{
    /// <summary>Small origins: one merge group; at 4K up to three metadata areas. Some end in a partial chunk.</summary>
    public static readonly int[] SmallOrigins = [1 << 20, (1 << 20) + 1536, 2 << 20, (3 << 20) - 512];

    /// <summary>Large: just over one group of 16 MiB, ending in a partial chunk.</summary>
    public const int LargeOrigin = (16 << 20) + (256 << 10) + 1536;

    public static Gen<int> MergeChunk => Gen.Frequency((3, Gen.Constant(4096)), (1, Gen.Constant(16384)), (1, Gen.Constant(65536)));

    public static Gen<ShapePart> SmallPart =>
        from kind in Gen.Frequency(
            (5, Gen.Constant(PartKind.Run)), (4, Gen.Constant(PartKind.RandomOrder)), (2, Gen.Constant(PartKind.Descending)),
            (3, Gen.Constant(PartKind.ShuffledRuns)), (3, Gen.Constant(PartKind.MergingSnapshotWrite)),
            (2, Gen.Constant(PartKind.SiblingWrite)), (3, Gen.Constant(PartKind.OriginWrite)), (2, Gen.Constant(PartKind.AddSibling)))
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from seed in StorageGen.AnySeed
        select new ShapePart(kind, a, b, seed);

    /// <summary>A range anywhere, or in the first or last 512 KiB (where a large merge's second group lies).</summary>
    public static Gen<(int Offset, int Length)> DuringRange(int originBytes) => Gen.Frequency(
        (3, StorageGen.Range(originBytes)),
        (1, StorageGen.Range(512 << 10)),
        (1, StorageGen.Range(512 << 10).Select(r => (originBytes - (512 << 10) + r.Offset, r.Length))));

    public static Gen<DuringOp> During(int originBytes) => Gen.Frequency(
        (5, from r in DuringRange(originBytes) from seed in StorageGen.AnySeed select new DuringOp(DuringKind.OriginWrite, 0, r.Offset, r.Length, seed)),
        (3, from r in DuringRange(originBytes) select new DuringOp(DuringKind.OriginRead, 0, r.Offset, r.Length, 0)),
        (1, Gen.Constant(new DuringOp(DuringKind.OriginFlush, 0, 0, 0, 0))),
        (2, from t in Gen.Choose(0, 3) from r in DuringRange(originBytes) select new DuringOp(DuringKind.SiblingRead, t, r.Offset, r.Length, 0)));

    public static Gen<DuringOp[][]> Interludes(int originBytes) =>
        Gen.Choose(1, 4).SelectMany(n => Gen.Choose(0, 6).SelectMany(k => During(originBytes).ArrayOf(k)).ArrayOf(n));

    public static Gen<MergeScenario> Small =>
        from size in Gen.Elements(SmallOrigins)
        from chunk in MergeChunk
        from before in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from siblings in StorageGen.Chunk.ArrayOf(before)
        from count in Gen.Choose(1, 8)
        from parts in SmallPart.ArrayOf(count)
        from interludes in Interludes(size)
        from seed in StorageGen.AnySeed
        select new MergeScenario(size, chunk, siblings, parts, interludes, seed);

    /// <summary>
    /// Just over 16 MiB of exceptions, so the merge takes two groups: one write of the whole origin
    /// (consecutive entries, 4K or 16K), one chunk at a time from the top down (single-chunk batches:
    /// 64K, or 4K where it makes more than 4096 batches), or shuffled runs (16K, two areas). A sibling
    /// may come before the merging snapshot or half way.
    /// </summary>
    public static Gen<MergeScenario> Large =>
        from shape in Gen.Elements(
            (PartKind.WholeRun, 4096), (PartKind.WholeRun, 16384), (PartKind.WholeDescending, 65536),
            (PartKind.WholeDescending, 4096), (PartKind.WholeShuffledRuns, 16384))
        from siblingAt in Gen.Elements(0, 1, 2) // none, before the merging snapshot, after its whole-origin part
        from siblingChunk in StorageGen.Chunk
        from extra in SmallPart.Where(p => p.Kind is PartKind.OriginWrite or PartKind.MergingSnapshotWrite or PartKind.RandomOrder).ArrayOf(2)
        from interludes in Interludes(LargeOrigin)
        from seed in StorageGen.AnySeed
        select new MergeScenario(LargeOrigin, shape.Item2, siblingAt == 1 ? [siblingChunk] : [],
            [new ShapePart(shape.Item1, 0, 0, seed), .. siblingAt == 2 ? new[] { new ShapePart(PartKind.AddSibling, Array.IndexOf(StorageGen.ChunkSizes, siblingChunk), 0, 0) } : [], .. extra],
            interludes, seed);

    public static Gen<MergeScenario> Any(int smallWeight, int largeWeight) =>
        Gen.Frequency((smallWeight, Small), (largeWeight, Large));

    /// <summary>Shrinks by dropping interlude ops, then parts, then siblings before.</summary>
    public static IEnumerable<MergeScenario> Shrink(MergeScenario s)
    {
        for (int i = 0; i < s.Interludes.Length; i++)
            foreach (var fewer in StorageGen.DropSome(s.Interludes[i]))
            {
                var copy = (DuringOp[][])s.Interludes.Clone();
                copy[i] = fewer;
                yield return s with { Interludes = copy };
            }
        foreach (var parts in StorageGen.DropSome(s.Parts))
            if (parts.Length > 0 && (!s.Large || parts.Any(p => p.Kind is PartKind.WholeRun or PartKind.WholeDescending or PartKind.WholeShuffledRuns)))
                yield return s with { Parts = parts };
        if (s.SiblingsBefore.Length > 0) yield return s with { SiblingsBefore = s.SiblingsBefore[1..] };
    }
}
