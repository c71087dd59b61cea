using System.IO.Compression;
using System.Security.Cryptography;

namespace FleetMerge.Storage.Tests.Kernel;

/// <summary>
/// A scenario the real kernel ran (tests/fixtures/kernel/NAME, made by tests/oracle/make-fixtures.sh):
/// the spec, the writes in order, and what the kernel left behind (result.txt, COW images).
/// </summary>
public sealed class KernelFixture
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "kernel");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("tests/fixtures/kernel not found above " + AppContext.BaseDirectory);
        }
    }

    public static KernelFixture Load(string name) => new(Path.Combine(Root, name));

    private KernelFixture(string dir)
    {
        Dir = dir;
        Name = Path.GetFileName(dir);
        if (File.Exists(Path.Combine(dir, "spec.sh")))
            foreach (var line in File.ReadAllLines(Path.Combine(dir, "spec.sh")))
            {
                if (line.StartsWith('#') || !line.Contains('=')) continue;
                int eq = line.IndexOf('=');
                Spec[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
            }
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "result.txt")))
        {
            int sp = line.IndexOf(' ');
            if (sp < 0) continue;
            Results.Add((line[..sp], line[(sp + 1)..]));
        }
        if (File.Exists(Path.Combine(dir, "writes.txt")))
            foreach (var line in File.ReadAllLines(Path.Combine(dir, "writes.txt")))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 7) continue;
                Writes.Add(new Write(int.Parse(f[0]), f[1], long.Parse(f[2]), int.Parse(f[3]), f[4], long.Parse(f[5]), int.Parse(f[6])));
            }
    }

    public string Dir { get; }
    public string Name { get; }
    public Dictionary<string, string> Spec { get; } = new();
    public List<(string Key, string Value)> Results { get; } = new();
    public List<Write> Writes { get; } = new();

    public sealed record Write(int Seq, string Target, long Offset, int Length, string Tag, long Gen, int Phase)
    {
        /// <summary>0 for the origin, k for snapshot k (`snap` is snapshot 1).</summary>
        public int SnapshotIndex => Target == "origin" ? 0 : Target == "snap" ? 1 : int.Parse(Target[4..]);

        public byte[] Data() => Support.OraclePattern.Sectors(Tag, Offset / 512, Length / 512, Gen);
    }

    public int[] ChunkSectors => Spec["CHUNKS"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
    public long OriginBytes => long.Parse(Spec["ORIGIN_BYTES"]);
    public long[] CowBytes => Spec["COW_BYTES"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
    public string[] StoreTypes => Spec.TryGetValue("STORES", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : ChunkSectors.Select(_ => "P").ToArray();

    /// <summary>The value of the first result line with that key (e.g. "sha256 cow1.img" → hash).</summary>
    public string Result(string key, string sub)
    {
        foreach (var (k, v) in Results)
            if (k == key && v.StartsWith(sub + " ")) return v[(sub.Length + 1)..].Trim();
        throw new KeyNotFoundException($"{Name}: no result '{key} {sub}'");
    }

    public bool HasResult(string key, string sub) => Results.Any(r => r.Key == key && r.Value.StartsWith(sub + " "));

    public IEnumerable<int> FailedWrites => Results.Where(r => r.Key == "write_failed").Select(r => int.Parse(r.Value));

    /// <summary>The target status as `dmsetup status` printed it, without "0 N snapshot".</summary>
    public string FinalStatus(int snapshot)
    {
        string line = Result("status", $"final snap{snapshot}");
        int at = line.IndexOf("snapshot ", StringComparison.Ordinal);
        return at >= 0 ? line[(at + "snapshot ".Length)..].Trim() : line;
    }

    public byte[] Image(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir, name + ".gz")), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    public static string Sha(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>The initial origin: the oracle's pattern, tag ORIGIN, generation 0.</summary>
    public byte[] InitialOrigin()
    {
        var tag = Spec.TryGetValue("ORIGIN_TAG", out var t) ? t : "ORIGIN";
        return Support.OraclePattern.Sectors(tag, 0, (int)(OriginBytes / 512), 0);
    }

    public override string ToString() => Name;
}
