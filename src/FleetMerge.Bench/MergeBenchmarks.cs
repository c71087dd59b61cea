using BenchmarkDotNet.Attributes;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Bench;

/// <summary>
/// Merge throughput against a plain copy of the same bytes (4 MiB reads and writes, one flush at
/// the end), for a snapshot holding every chunk of the volume: a table written in chunk order
/// (long consecutive batches) and one written in random chunk order (single-chunk batches), at 4K
/// and 64K chunks. Each iteration merges fresh copies of template images.
/// </summary>
public class MergeBenchmarks
{
    [Params(4096, 65536)]
    public int ChunkBytes { get; set; }

    private readonly List<IDisposable> open = new();
    private SnapshotMerge? merge;
    private string sourcePath = "", copyPath = "";

    [GlobalSetup]
    public void GlobalSetup()
    {
        sourcePath = BenchFiles.PathOf("copy-source.img");
        copyPath = BenchFiles.PathOf("copy-target.img");
        BenchFiles.FillFile(sourcePath, BenchFiles.VolumeBytes, 5);
        BenchFiles.FillFile(copyPath, BenchFiles.VolumeBytes, 6);
        MakeTemplate("consecutive", randomOrder: false);
        MakeTemplate("random", randomOrder: true);
    }

    /// <summary>Origin + COW images where the snapshot owns every chunk, built in memory (fast), then saved.</summary>
    private void MakeTemplate(string name, bool randomOrder)
    {
        var geometry = ChunkGeometry.FromBytes(ChunkBytes);
        var origin = new MemoryBlockFile(BenchFiles.VolumeBytes);
        new Random(8).NextBytes(origin.Bytes);
        var cow = new MemoryBlockFile(BenchFiles.CowBytesFor(BenchFiles.VolumeBytes, ChunkBytes));
        var o = new Origin(origin);
        var snapshot = o.Attach(ExceptionStore.Format(cow, geometry));
        int chunks = (int)(BenchFiles.VolumeBytes / ChunkBytes);
        var order = Enumerable.Range(0, chunks).ToArray();
        if (randomOrder) new Random(9).Shuffle(order);
        var data = new byte[ChunkBytes];
        foreach (int c in order) snapshot.Write((long)c * ChunkBytes, data);
        File.WriteAllBytes(Template(name, "origin"), origin.Bytes);
        File.WriteAllBytes(Template(name, "cow"), cow.Bytes);
    }

    private string Template(string name, string part) => BenchFiles.PathOf($"merge-{name}-{ChunkBytes}-{part}.template");

    [Benchmark(Baseline = true, Description = "plain copy of the same bytes")]
    public void PlainCopy()
    {
        using var from = FileBlockFile.Open(sourcePath, writable: false);
        using var to = FileBlockFile.Open(copyPath, writable: true);
        var buffer = new byte[ChunkRuns.MaxRunBytes];
        for (long at = 0; at < from.Length; at += buffer.Length)
        {
            from.Read(at, buffer);
            to.Write(at, buffer);
        }
        to.Flush();
    }

    [IterationSetup(Target = nameof(MergeConsecutive))]
    public void SetupConsecutive() => Prepare("consecutive");

    [Benchmark(Description = "merge, consecutive table")]
    public void MergeConsecutive() => merge!.Run();

    [IterationSetup(Target = nameof(MergeRandomOrder))]
    public void SetupRandom() => Prepare("random");

    [Benchmark(Description = "merge, random-order table")]
    public void MergeRandomOrder() => merge!.Run();

    private void Prepare(string name)
    {
        string originPath = BenchFiles.PathOf("merge-origin.img"), cowPath = BenchFiles.PathOf("merge-cow.img");
        File.Copy(Template(name, "origin"), originPath, overwrite: true);
        File.Copy(Template(name, "cow"), cowPath, overwrite: true);
        var originFile = FileBlockFile.Open(originPath, writable: true);
        var cowFile = FileBlockFile.Open(cowPath, writable: true);
        // Start clean: the copy's dirty pages must not be charged to the merge's flushes.
        originFile.Flush();
        cowFile.Flush();
        var store = ExceptionStore.Open(cowFile, StoreOpenMode.ReadWrite);
        var origin = new Origin(originFile);
        open.AddRange([originFile, cowFile, store, origin]);
        merge = SnapshotMerge.Start(origin.Attach(store));
    }

    [IterationCleanup]
    public void Cleanup()
    {
        for (int i = open.Count - 1; i >= 0; i--) open[i].Dispose();
        open.Clear();
        merge = null;
    }
}
