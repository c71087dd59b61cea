using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;
using Microsoft.Win32.SafeHandles;

namespace FleetMerge.Bench;

/// <summary>
/// What bounds an origin first-write: the kernel's commit protocol itself. The baseline does only the
/// I/O the protocol requires, with plain positional writes and no engine code: per 1 MiB origin write,
/// read the old data, and for every snapshot (in parallel) write it to the COW, zero the next metadata
/// area when one fills, flush (data durable before its entries), write the area, flush (entries durable
/// before the origin changes); then write the origin. Against it the engine doing the same first-writes:
/// a ratio near 1 means the time goes to the flushes the format's crash safety demands, not to the engine.
/// </summary>
public class CommitFloorBenchmarks
{
    private const int Chunk = 4096;
    private const int EntriesPerArea = Chunk / 16;
    private readonly byte[] data = new byte[BenchFiles.WriteSize];
    private readonly byte[] old = new byte[BenchFiles.WriteSize];
    private readonly byte[] area = new byte[Chunk];
    private readonly List<IDisposable> open = new();
    private string originPath = "";
    private SafeFileHandle? originHandle;
    private SafeFileHandle[] cows = [];
    private Origin? origin;

    [Params(1, 4)]
    public int Snapshots { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        new Random(9).NextBytes(data);
        originPath = BenchFiles.PathOf("floor-origin.img");
    }

    [IterationSetup(Target = nameof(ProtocolFloor))]
    public void SetupFloor()
    {
        FreshOrigin();
        originHandle = File.OpenHandle(originPath, FileMode.Open, FileAccess.ReadWrite);
        cows = Enumerable.Range(0, Snapshots).Select(i =>
        {
            string path = FreshCow(i);
            return File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        }).ToArray();
    }

    [Benchmark(Baseline = true, Description = "commit protocol I/O alone (no engine)")]
    public void ProtocolFloor()
    {
        // Layout as the engine's: chunk 0 header, then areas of 1 chunk each followed by 256 data chunks.
        long areaChunk = 1, nextData = 2, filled = 0;
        for (long at = 0; at < BenchFiles.VolumeBytes; at += data.Length)
        {
            RandomAccess.Read(originHandle!, old, at);
            long dataAt = nextData * Chunk, areaAt = areaChunk * Chunk;
            int chunks = data.Length / Chunk;
            filled += chunks;
            bool areaFull = filled >= EntriesPerArea;
            long nextAreaAt = (areaChunk + 1 + EntriesPerArea) * Chunk;
            Parallel.ForEach(cows, cow =>
            {
                RandomAccess.Write(cow, old, dataAt);
                if (areaFull) RandomAccess.Write(cow, area, nextAreaAt);
                RandomAccess.FlushToDisk(cow);
                RandomAccess.Write(cow, area, areaAt);
                RandomAccess.FlushToDisk(cow);
            });
            nextData += chunks;
            if (areaFull)
            {
                areaChunk += 1 + EntriesPerArea;
                nextData = areaChunk + 1;
                filled = 0;
            }
            RandomAccess.Write(originHandle!, data, at);
        }
        RandomAccess.FlushToDisk(originHandle!);
    }

    [IterationSetup(Target = nameof(EngineFirstWrite))]
    public void SetupEngine()
    {
        FreshOrigin();
        var originFile = FileBlockFile.Open(originPath, writable: true);
        open.Add(originFile);
        origin = new Origin(originFile);
        open.Add(origin);
        for (int i = 0; i < Snapshots; i++)
        {
            var cow = FileBlockFile.Open(FreshCow(i), writable: true);
            open.Add(cow);
            var store = ExceptionStore.Format(cow, ChunkGeometry.Default);
            open.Add(store);
            origin.Attach(store);
        }
    }

    [Benchmark(Description = "origin first-write vs the commit protocol's own I/O")]
    public void EngineFirstWrite()
    {
        for (long at = 0; at < origin!.Length; at += data.Length) origin.Write(at, data);
        origin.Flush();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
        origin = null;
        originHandle?.Dispose();
        originHandle = null;
        foreach (var cow in cows) cow.Dispose();
        cows = [];
    }

    private void FreshOrigin()
    {
        if (!File.Exists(originPath) || new FileInfo(originPath).Length != BenchFiles.VolumeBytes)
            BenchFiles.FillFile(originPath, BenchFiles.VolumeBytes, 5);
    }

    private static string FreshCow(int i)
    {
        string path = BenchFiles.PathOf($"floor-cow{i}.img");
        BenchFiles.SparseFile(path, BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, Chunk));
        return path;
    }
}
