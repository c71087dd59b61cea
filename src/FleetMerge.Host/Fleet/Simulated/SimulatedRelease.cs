using System.Text;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>A release header as read back from a simulated host's origin.</summary>
public sealed record ReleaseHeader(string HostId, string Release, bool Broken);

/// <summary>
/// What a simulated upgrade writes through the origin (pure): pseudo-random pages at offsets
/// seeded by (host, release), then a header block at offset 0 naming the release and whether it
/// is BROKEN. The health hook reads the header back; a rollback by merge brings back the header
/// (or the plain pattern) the snapshot saw.
/// </summary>
public static class SimulatedRelease
{
    public const int HeaderBytes = 4096;
    public const string Magic = "FLEETMERGE-SIM-RELEASE";
    public const string BrokenMarker = "BROKEN";

    public static byte[] Header(string hostId, string release, bool broken)
    {
        var block = new byte[HeaderBytes];
        string text = $"{Magic}\nhost={hostId}\nrelease={release}\nstate={(broken ? BrokenMarker : "OK")}\n";
        int written = Encoding.UTF8.GetBytes(text, block);
        if (written >= HeaderBytes) throw new ArgumentException($"release name too long for the header block: {release}");
        return block;
    }

    /// <summary>The header in <paramref name="block"/>, or null when the block is not one (the original image).</summary>
    public static ReleaseHeader? Read(ReadOnlySpan<byte> block)
    {
        var magic = Encoding.ASCII.GetBytes(Magic + "\n");
        if (block.Length < magic.Length || !block[..magic.Length].SequenceEqual(magic)) return null;
        int end = block.IndexOf((byte)0);
        string text = Encoding.UTF8.GetString(end < 0 ? block : block[..end]);
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new ReleaseHeader(fields.GetValueOrDefault("host", "?"), fields.GetValueOrDefault("release", "?"),
            fields.GetValueOrDefault("state") != "OK");
    }

    /// <summary>Distinct page-aligned offsets of the release's pages; never the first page (the header's).</summary>
    public static IReadOnlyList<long> PageOffsets(SimulatedHostSpec host, string release)
    {
        long slots = host.OriginBytes / host.UpgradePageBytes;
        int count = (int)Math.Min(host.UpgradePages, slots - 1);
        var random = new DeterministicRandom(DeterministicRandom.Seed($"{host.HostId}/{release}/offsets"));
        // A partial Fisher–Yates over slots 1 … slots-1, the swaps kept sparse.
        var swapped = new Dictionary<long, long>();
        var offsets = new List<long>(count);
        for (long i = 0; i < count; i++)
        {
            long first = 1 + i, pick = first + random.Below(slots - first);
            long chosen = swapped.GetValueOrDefault(pick, pick);
            swapped[pick] = swapped.GetValueOrDefault(first, first);
            offsets.Add(chosen * host.UpgradePageBytes);
        }
        return offsets;
    }

    /// <summary>The content of page <paramref name="index"/> of the release.</summary>
    public static byte[] Page(SimulatedHostSpec host, string release, int index)
    {
        var page = new byte[host.UpgradePageBytes];
        new DeterministicRandom(DeterministicRandom.Seed($"{host.HostId}/{release}/page", (ulong)index)).Fill(page);
        return page;
    }
}
