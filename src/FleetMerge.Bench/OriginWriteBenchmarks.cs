using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Bench;

/// <summary>
/// Origin writes, 1 MiB sequential over the whole volume, one flush at the end: a plain file
/// overwritten (baseline) against first writes with 1 and 4 snapshots (every chunk copied) and rewrites of
/// chunks already copied.
/// </summary>
public class OriginWriteBenchmarks
{
    private readonly byte[] data = new byte[BenchFiles.WriteSize];
    private string plainPath = "", originPath = "";
    private readonly List<IDisposable> open = new();
    private Origin? origin;

    [GlobalSetup]
    public void GlobalSetup()
    {
        new Random(7).NextBytes(data);
        plainPath = BenchFiles.PathOf("plain.img");
        originPath = BenchFiles.PathOf("origin.img");
    }

    /// <summary>The baseline overwrites a file as allocated as the origin, so only the COW work differs.</summary>
    [IterationSetup(Target = nameof(PlainWrite))]
    public void SetupPlain()
    {
        if (!File.Exists(plainPath) || new FileInfo(plainPath).Length != BenchFiles.VolumeBytes)
            BenchFiles.FillFile(plainPath, BenchFiles.VolumeBytes, 2);
    }

    [Benchmark(Baseline = true, Description = "plain file write")]
    public void PlainWrite()
    {
        using var file = FileBlockFile.Open(plainPath, writable: true);
        for (long at = 0; at < file.Length; at += data.Length) file.Write(at, data);
        file.Flush();
    }

    [IterationSetup(Target = nameof(FirstWriteOneSnapshot))]
    public void SetupOne() => OpenOrigin(snapshots: 1, prewrite: false);

    [Benchmark(Description = "origin first-write, 1 snapshot")]
    public void FirstWriteOneSnapshot() => WriteOrigin();

    [IterationSetup(Target = nameof(FirstWriteFourSnapshots))]
    public void SetupFour() => OpenOrigin(snapshots: 4, prewrite: false);

    [Benchmark(Description = "origin first-write, 4 snapshots")]
    public void FirstWriteFourSnapshots() => WriteOrigin();

    [IterationSetup(Target = nameof(RewriteCopiedChunks))]
    public void SetupRewrite() => OpenOrigin(snapshots: 1, prewrite: true);

    [Benchmark(Description = "origin rewrite of copied chunks, 1 snapshot")]
    public void RewriteCopiedChunks() => WriteOrigin();

    [IterationCleanup]
    public void Cleanup()
    {
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
        origin = null;
    }

    private void WriteOrigin()
    {
        for (long at = 0; at < origin!.Length; at += data.Length) origin.Write(at, data);
        origin.Flush();
    }

    private void OpenOrigin(int snapshots, bool prewrite)
    {
        if (!File.Exists(originPath) || new FileInfo(originPath).Length != BenchFiles.VolumeBytes)
            BenchFiles.FillFile(originPath, BenchFiles.VolumeBytes, 1);
        var originFile = FileBlockFile.Open(originPath, writable: true);
        open.Add(originFile);
        origin = new Origin(originFile);
        open.Add(origin);
        var geometry = ChunkGeometry.Default;
        for (int i = 0; i < snapshots; i++)
        {
            string cowPath = BenchFiles.PathOf($"cow{i}.img");
            BenchFiles.SparseFile(cowPath, BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, geometry.ChunkBytes));
            var cow = FileBlockFile.Open(cowPath, writable: true);
            open.Add(cow);
            var store = ExceptionStore.Format(cow, geometry);
            open.Add(store);
            origin.Attach(store);
        }
        if (prewrite) WriteOrigin();
    }
}
