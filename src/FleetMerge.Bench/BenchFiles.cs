namespace FleetMerge.Bench;

/// <summary>Where benchmark images live and how big they are (env: FLEETMERGE_BENCH_DIR, FLEETMERGE_BENCH_MIB).</summary>
public static class BenchFiles
{
    public const int WriteSize = 1 << 20;

    public static string Dir { get; } = Environment.GetEnvironmentVariable("FLEETMERGE_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "fleetmerge-bench");

    public static long VolumeBytes { get; } = long.Parse(Environment.GetEnvironmentVariable("FLEETMERGE_BENCH_MIB") ?? "256") << 20;

    public static string PathOf(string name)
    {
        Directory.CreateDirectory(Dir);
        return Path.Combine(Dir, name);
    }

    /// <summary>An empty directory under <see cref="Dir"/> (what an earlier, failed run left is removed).</summary>
    public static string FreshDir(string name)
    {
        string path = PathOf(name);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A file of the volume size with non-zero content, written once and reused.</summary>
    public static void FillFile(string path, long bytes, byte seed)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var block = new byte[WriteSize];
        new Random(seed).NextBytes(block);
        for (long done = 0; done < bytes; done += block.Length) stream.Write(block, 0, (int)Math.Min(block.Length, bytes - done));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A sparse zero file (a fresh COW or a target for plain writes).</summary>
    public static void SparseFile(string path, long bytes)
    {
        File.Delete(path);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, bytes);
    }

    /// <summary>COW size that holds a copy of the whole volume plus its metadata areas.</summary>
    public static long CowBytesFor(long volumeBytes, int chunkBytes)
    {
        long chunks = volumeBytes / chunkBytes;
        long areas = chunks / (chunkBytes / 16) + 2;
        return (chunks + areas + 2) * chunkBytes;
    }
}
