using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace FleetMerge.Storage.Tests.Properties;

public enum OpKind { OriginWrite, SnapshotWrite, OriginRead, SnapshotRead, Reopen, AddSnapshot }

/// <summary>
/// One step of a scenario. <see cref="Target"/> is a snapshot number (taken modulo the snapshots
/// that exist when the step runs, so removing steps while shrinking keeps a scenario runnable),
/// or the chunk size in bytes for <see cref="OpKind.AddSnapshot"/>.
/// </summary>
public sealed record Op(OpKind Kind, int Target, int Offset, int Length, int Seed)
{
    public override string ToString() => Kind switch
    {
        OpKind.OriginWrite => $"origin.Write({Offset}, {Length}B #{Seed})",
        OpKind.SnapshotWrite => $"snap[{Target}].Write({Offset}, {Length}B #{Seed})",
        OpKind.OriginRead => $"origin.Read({Offset}, {Length})",
        OpKind.SnapshotRead => $"snap[{Target}].Read({Offset}, {Length})",
        OpKind.Reopen => "reopen",
        OpKind.AddSnapshot => $"addSnapshot({Target / 1024}K)",
        _ => Kind.ToString(),
    };
}

/// <summary>An origin of <see cref="OriginBytes"/> (content from <see cref="Seed"/>), its first snapshots, then steps.</summary>
public sealed record ViewScenario(int OriginBytes, int[] ChunkSizes, Op[] Ops, int Seed)
{
    public override string ToString()
    {
        var s = new StringBuilder();
        s.Append($"origin {OriginBytes} B (seed {Seed}), snapshots [{string.Join(", ", ChunkSizes.Select(c => c / 1024 + "K"))}], {Ops.Length} ops:");
        for (int i = 0; i < Ops.Length; i++) s.Append($"\n  #{i} {Ops[i]}");
        return s.ToString();
    }
}

/// <summary>FsCheck generators shared by the properties.</summary>
public static class StorageGen
{
    public static readonly int[] ChunkSizes = [4096, 8192, 16384, 65536];

    /// <summary>
    /// Multiples of 512; some are not multiples of any chunk size (partial last chunk), and one is
    /// smaller than a single 16K or 64K chunk.
    /// </summary>
    public static readonly int[] OriginSizes =
        [256 * 1024, 256 * 1024 + 1536, 512 * 1024 - 512, 512 * 1024, 1024 * 1024 - 512, 1024 * 1024, 12 * 1024 + 512];

    public static Gen<int> Chunk => Gen.Elements(ChunkSizes);

    public static Gen<int> AnySeed => Gen.Choose(0, int.MaxValue);

    private static (int Offset, int Length) Clamp(int deviceBytes, long offset, long length)
    {
        long off = Math.Clamp(offset, 0, deviceBytes - 1);
        long len = Math.Clamp(length, 1, deviceBytes - off);
        return ((int)off, (int)len);
    }

    /// <summary>
    /// A byte range inside a device: sub-sector, anywhere up to ~3 chunks, straddling a chunk
    /// boundary, chunk-aligned, sector-aligned, or running to the (possibly partial) last chunk.
    /// </summary>
    public static Gen<(int Offset, int Length)> Range(int deviceBytes, int maxChunks = 3)
    {
        int d = deviceBytes;
        var subSector =
            from off in Gen.Choose(0, d - 1)
            from len in Gen.Choose(1, 511)
            select Clamp(d, off, len);
        var anywhere =
            from chunk in Chunk
            from off in Gen.Choose(0, d - 1)
            from len in Gen.Choose(1, maxChunks * chunk)
            select Clamp(d, off, len);
        var straddle =
            from chunk in Chunk
            from k in Gen.Choose(1, Math.Max(1, d / chunk))
            from back in Gen.Choose(1, chunk)
            from len in Gen.Choose(1, maxChunks * chunk)
            select Clamp(d, (long)k * chunk - back, len);
        var aligned =
            from chunk in Chunk
            from k in Gen.Choose(0, (d - 1) / chunk)
            from n in Gen.Choose(1, maxChunks)
            select Clamp(d, (long)k * chunk, (long)n * chunk);
        var sectors =
            from s in Gen.Choose(0, d / 512 - 1)
            from n in Gen.Choose(1, 16)
            select Clamp(d, s * 512L, n * 512L);
        var tail =
            from chunk in Chunk
            from back in Gen.Choose(1, maxChunks * chunk)
            select Clamp(d, d - (long)back, back);
        return Gen.Frequency(
            (2, subSector), (4, anywhere), (4, straddle), (3, aligned), (2, sectors), (1, tail));
    }

    public static Gen<Op> ViewOp(int originBytes) => Gen.Frequency(
        (30, from r in Range(originBytes) from seed in AnySeed select new Op(OpKind.OriginWrite, 0, r.Offset, r.Length, seed)),
        (25, from t in Gen.Choose(0, 7) from r in Range(originBytes) from seed in AnySeed
             select new Op(OpKind.SnapshotWrite, t, r.Offset, r.Length, seed)),
        (8, from r in Range(originBytes) select new Op(OpKind.OriginRead, 0, r.Offset, r.Length, 0)),
        (10, from t in Gen.Choose(0, 7) from r in Range(originBytes) select new Op(OpKind.SnapshotRead, t, r.Offset, r.Length, 0)),
        (4, Gen.Constant(new Op(OpKind.Reopen, 0, 0, 0, 0))),
        (4, from c in Chunk select new Op(OpKind.AddSnapshot, c, 0, 0, 0)));

    public static Gen<ViewScenario> ViewScenario(int maxOps, int[]? originSizes = null) =>
        from size in Gen.Elements(originSizes ?? OriginSizes)
        from snapshots in Gen.Choose(1, 4)
        from chunks in Chunk.ArrayOf(snapshots)
        from count in Gen.Choose(1, maxOps)
        from ops in ViewOp(size).ArrayOf(count)
        from seed in AnySeed
        select new ViewScenario(size, chunks, ops, seed);

    /// <summary>Shrinks by dropping steps (halves first, then single ones) and first snapshots.</summary>
    public static IEnumerable<ViewScenario> Shrink(ViewScenario s)
    {
        foreach (var ops in DropSome(s.Ops)) yield return s with { Ops = ops };
        if (s.ChunkSizes.Length > 1)
            for (int i = 0; i < s.ChunkSizes.Length; i++)
                yield return s with { ChunkSizes = [.. s.ChunkSizes[..i], .. s.ChunkSizes[(i + 1)..]] };
    }

    public static IEnumerable<T[]> DropSome<T>(T[] items)
    {
        for (int size = Math.Max(1, items.Length / 2); size >= 1; size /= 2)
        {
            for (int start = 0; start + size <= items.Length; start += size)
                yield return [.. items[..start], .. items[(start + size)..]];
            if (size == 1) break;
        }
    }

    public static Arbitrary<ViewScenario> ViewScenarios(int maxOps, int[]? originSizes = null) =>
        Arb.From(ViewScenario(maxOps, originSizes), Shrink);
}
