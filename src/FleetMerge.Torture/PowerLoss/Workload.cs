using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// A random power-loss workload: an origin image, 1–2 snapshots of it (formatted COWs whose other chunks
/// hold stale garbage, as on a reused LV), and a list of writes and flushes. <see cref="Models"/> replays the
/// steps without the engine: what the origin and every snapshot view must read.
/// </summary>
public sealed class Workload
{
    public const int Sector = SectorHistory.Sector;

    public required byte[] OriginBase { get; init; }
    public required int[] ChunkBytes { get; init; }
    public required byte[][] CowBases { get; init; }
    public required IReadOnlyList<WorkStep> Steps { get; init; }

    public int OriginBytes => OriginBase.Length;

    public string Describe() =>
        $"origin {OriginBytes} bytes, snapshots with chunks {string.Join("+", ChunkBytes.Select(c => $"{c / 1024}K"))}, {Steps.Count} steps";

    /// <summary>
    /// Devices for a trial: origin of <paramref name="originBytes"/> (whole sectors, not always whole
    /// chunks), snapshot COWs big enough that every origin chunk fits (no overflow: a full COW is not a crash).
    /// </summary>
    public static (byte[] Origin, int[] Chunks, byte[][] Cows) Devices(Random rng, int originBytes, int snapshots)
    {
        byte[] origin = new byte[originBytes];
        rng.NextBytes(origin);
        int[] chunks = Enumerable.Range(0, snapshots).Select(_ => 4096 << rng.Next(5)).ToArray(); // 4K..64K
        var cows = new byte[snapshots][];
        for (int k = 0; k < snapshots; k++)
        {
            var g = ChunkGeometry.FromBytes(chunks[k]);
            long originChunks = (originBytes + chunks[k] - 1) / chunks[k];
            long areas = originChunks / g.ExceptionsPerArea + 2;
            long cowChunks = 1 + areas + originChunks + rng.Next(4);
            cows[k] = new byte[cowChunks * chunks[k]];
            rng.NextBytes(cows[k]);
            using var store = ExceptionStore.Format(new MemoryBlockFile(cows[k], $"cow{k}"), g);
        }
        return (origin, chunks, cows);
    }

    /// <summary>Random sector-aligned writes, some of them over hot spots (rewrites, sub-chunk and multi-chunk), with flushes.</summary>
    public static List<WorkStep> RandomSteps(Random rng, int originBytes, int count, int snapshots, double snapshotShare, int maxWrite)
    {
        var steps = new List<WorkStep>();
        int sectors = originBytes / Sector;
        int[] hot = Enumerable.Range(0, 3).Select(_ => rng.Next(sectors)).ToArray();
        for (int i = 0; i < count; i++)
        {
            double roll = rng.NextDouble();
            if (roll < 0.08) { steps.Add(new OriginFlush()); continue; }
            if (roll < 0.16 && snapshots > 0) { steps.Add(new StoreFlush(rng.Next(snapshots))); continue; }
            int length = Math.Min(sectors, 1 + (rng.Next(3) == 0 ? rng.Next(maxWrite / Sector) : rng.Next(16)));
            int start = rng.Next(2) == 0
                ? Math.Clamp(hot[rng.Next(hot.Length)] + rng.Next(-24, 24), 0, sectors - length)
                : rng.Next(sectors - length + 1);
            byte[] data = new byte[length * Sector];
            rng.NextBytes(data);
            if (snapshots > 0 && rng.NextDouble() < snapshotShare)
                steps.Add(new SnapshotWrite(rng.Next(snapshots), (long)start * Sector, data));
            else
                steps.Add(new OriginWrite((long)start * Sector, data));
        }
        return steps;
    }

    /// <summary>The models of the origin ([0]) and of each snapshot's view ([1 + k]).</summary>
    public SectorHistory[] Models()
    {
        var models = new SectorHistory[1 + ChunkBytes.Length];
        for (int i = 0; i < models.Length; i++) models[i] = new SectorHistory(OriginBase);
        for (int i = 0; i < Steps.Count; i++)
        {
            switch (Steps[i])
            {
                // An origin write never changes a snapshot's view: that is what a snapshot is.
                case OriginWrite w: models[0].Write(i, w.Offset, w.Data); break;
                case SnapshotWrite w: models[1 + w.Snapshot].Write(i, w.Offset, w.Data); break;
                case OriginFlush: models[0].Flush(i); break;
                case StoreFlush f: models[1 + f.Snapshot].Flush(i); break;
            }
        }
        return models;
    }
}
