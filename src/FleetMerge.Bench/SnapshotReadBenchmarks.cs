using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Bench;

/// <summary>
/// Snapshot reads, 1 MiB sequential over the whole volume, against plain reads of a file of the
/// same size. The snapshot has every chunk in its COW (the common state after an upgrade rewrote
/// the volume); a second case has every other 64 KiB in the COW (runs alternate between devices).
/// </summary>
public class SnapshotReadBenchmarks
{
    private readonly byte[] buffer = new byte[BenchFiles.WriteSize];
    private readonly List<IDisposable> open = new();
    private FileBlockFile? plain;
    private Snapshot? full, half;

    [GlobalSetup]
    public void GlobalSetup()
    {
        string plainPath = BenchFiles.PathOf("read-plain.img");
        BenchFiles.FillFile(plainPath, BenchFiles.VolumeBytes, 3);
        plain = FileBlockFile.Open(plainPath, writable: false);
        open.Add(plain);
        full = Build("read-full", stride: 1);
        half = Build("read-half", stride: 2);
    }

    private Snapshot Build(string name, int stride)
    {
        string originPath = BenchFiles.PathOf(name + "-origin.img");
        BenchFiles.FillFile(originPath, BenchFiles.VolumeBytes, 4);
        var originFile = FileBlockFile.Open(originPath, writable: true);
        open.Add(originFile);
        var origin = new Origin(originFile);
        open.Add(origin);
        string cowPath = BenchFiles.PathOf(name + "-cow.img");
        BenchFiles.SparseFile(cowPath, BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, ChunkGeometry.Default.ChunkBytes));
        var cow = FileBlockFile.Open(cowPath, writable: true);
        open.Add(cow);
        var store = ExceptionStore.Format(cow, ChunkGeometry.Default);
        open.Add(store);
        var snapshot = origin.Attach(store);
        var piece = new byte[64 << 10];
        for (long at = 0; at < origin.Length; at += piece.Length * stride) origin.Write(at, piece);
        origin.Flush();
        return snapshot;
    }

    [Benchmark(Baseline = true, Description = "plain file read")]
    public long PlainRead()
    {
        long sum = 0;
        for (long at = 0; at < plain!.Length; at += buffer.Length) { plain.Read(at, buffer); sum += buffer[0]; }
        return sum;
    }

    [Benchmark(Description = "snapshot read, all chunks in COW")]
    public long SnapshotReadAllInCow() => ReadAll(full!);

    [Benchmark(Description = "snapshot read, half in COW (64K runs)")]
    public long SnapshotReadHalfInCow() => ReadAll(half!);

    private long ReadAll(Snapshot snapshot)
    {
        long sum = 0;
        for (long at = 0; at < snapshot.Length; at += buffer.Length) { snapshot.Read(at, buffer); sum += buffer[0]; }
        return sum;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
    }
}
