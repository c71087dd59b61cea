using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;
using Microsoft.Win32.SafeHandles;

namespace FleetMerge.Bench;

/// <summary>
/// FleetMerge's own cost on snapshot reads: the snapshot view read 1 MiB at a time, against replaying the
/// very reads it issues (same files, offsets and lengths, recorded once in set-up) with plain positional
/// reads. Both read the same cached pages, so what the layout costs (a COW written chunk run by chunk
/// run, a view alternating between COW and origin every 64 KiB) cancels out; the plain-file comparison
/// keeps it. Layouts as in <see cref="SnapshotReadBenchmarks"/>: every chunk in the COW, or every other 64 KiB.
/// </summary>
public class SnapshotReadOverheadBenchmarks
{
    private readonly byte[] buffer = new byte[BenchFiles.WriteSize];
    private readonly List<IDisposable> open = new();
    private readonly Dictionary<string, SafeFileHandle> handles = new();
    private List<(string Path, long Offset, int Length)> reads = [];
    private Snapshot? snapshot;

    [Params("all in COW", "half in COW")]
    public string Layout { get; set; } = "";

    [GlobalSetup]
    public void GlobalSetup()
    {
        string prefix = Layout == "all in COW" ? "overhead-all" : "overhead-half";
        string originPath = BenchFiles.PathOf(prefix + "-origin.img");
        BenchFiles.FillFile(originPath, BenchFiles.VolumeBytes, 4);
        var originFile = new RecordingBlockFile(FileBlockFile.Open(originPath, writable: true), originPath);
        var origin = new Origin(originFile);
        string cowPath = BenchFiles.PathOf(prefix + "-cow.img");
        BenchFiles.SparseFile(cowPath, BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, ChunkGeometry.Default.ChunkBytes));
        var cow = new RecordingBlockFile(FileBlockFile.Open(cowPath, writable: true), cowPath);
        var store = ExceptionStore.Format(cow, ChunkGeometry.Default);
        open.AddRange([originFile, origin, cow, store]);
        snapshot = origin.Attach(store);
        int stride = Layout == "all in COW" ? 1 : 2;
        var piece = new byte[64 << 10];
        for (long at = 0; at < origin.Length; at += piece.Length * stride) origin.Write(at, piece);
        origin.Flush();

        originFile.Recording = cow.Recording = reads;
        SnapshotRead();
        originFile.Recording = cow.Recording = null;
        foreach (string path in new[] { originPath, cowPath })
            handles[path] = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    }

    [Benchmark(Baseline = true, Description = "the snapshot read's own preads replayed (no engine)")]
    public long ReplayedReads()
    {
        long sum = 0;
        foreach (var (path, offset, length) in reads)
        {
            RandomAccess.Read(handles[path], buffer.AsSpan(0, length), offset);
            sum += buffer[0];
        }
        return sum;
    }

    [Benchmark(Description = "snapshot read vs its own preads replayed")]
    public long SnapshotRead()
    {
        long sum = 0;
        for (long at = 0; at < snapshot!.Length; at += buffer.Length) { snapshot.Read(at, buffer); sum += buffer[0]; }
        return sum;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var handle in handles.Values) handle.Dispose();
        handles.Clear();
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
    }
}
