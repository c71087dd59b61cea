using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Bench;

/// <summary>
/// FleetMerge's own cost on snapshot reads: the snapshot view of a volume whose every chunk is in
/// the COW, against reading the same COW file raw, 1 MiB at a time. Both read the same cached
/// pages, so the page cache's layout (a file written in small pieces reads slower than one written
/// in large pieces, whoever reads it) cancels out; the plain-file comparison keeps it.
/// </summary>
public class SnapshotReadOverheadBenchmarks
{
    private readonly byte[] buffer = new byte[BenchFiles.WriteSize];
    private readonly List<IDisposable> open = new();
    private FileBlockFile? rawCow;
    private Snapshot? snapshot;

    [GlobalSetup]
    public void GlobalSetup()
    {
        string originPath = BenchFiles.PathOf("overhead-origin.img");
        BenchFiles.FillFile(originPath, BenchFiles.VolumeBytes, 4);
        var originFile = FileBlockFile.Open(originPath, writable: true);
        var origin = new Origin(originFile);
        string cowPath = BenchFiles.PathOf("overhead-cow.img");
        BenchFiles.SparseFile(cowPath, BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, ChunkGeometry.Default.ChunkBytes));
        var cow = FileBlockFile.Open(cowPath, writable: true);
        var store = ExceptionStore.Format(cow, ChunkGeometry.Default);
        open.AddRange([originFile, origin, cow, store]);
        snapshot = origin.Attach(store);
        var piece = new byte[BenchFiles.WriteSize];
        for (long at = 0; at < origin.Length; at += piece.Length) origin.Write(at, piece);
        origin.Flush();
        rawCow = FileBlockFile.Open(cowPath, writable: false);
        open.Add(rawCow);
    }

    [Benchmark(Baseline = true, Description = "raw read of the same COW file")]
    public long RawCowRead()
    {
        long sum = 0;
        long end = Math.Min(rawCow!.Length, BenchFiles.VolumeBytes);
        for (long at = 0; at < end; at += buffer.Length) { rawCow.Read(at, buffer); sum += buffer[0]; }
        return sum;
    }

    [Benchmark(Description = "snapshot read, all chunks in COW, vs raw COW")]
    public long SnapshotRead()
    {
        long sum = 0;
        for (long at = 0; at < snapshot!.Length; at += buffer.Length) { snapshot.Read(at, buffer); sum += buffer[0]; }
        return sum;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
    }
}
