using Akka.Actor;
using FleetMerge.Protocol.Host;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// The disk of a simulated host: group vg0 with origin root, created through its host agent on the
/// first start and filled with bytes seeded by the host id (page by page, so re-creating the host
/// gives the same image); free space is the simulated capacity minus every volume's size.
/// </summary>
public static class SimulatedDisk
{
    private static readonly TimeSpan AskLimit = TimeSpan.FromSeconds(60);
    private const int PageBytes = 4096;
    private const int WriteBytes = 1 << 20;

    /// <summary>Creates vg0 and vg0/root if missing; returns a note when it created something.</summary>
    public static async Task<string?> ProvisionAsync(SimulatedHostSpec host, AgentHandle agent, CancellationToken ct)
    {
        bool created = false;
        if (!agent.Catalog.TryGet(SimulatedHostSpec.Vg, out _))
        {
            await agent.Agent.Ask<VgInfo>(new CreateVg(SimulatedHostSpec.Vg), AskLimit, ct);
            created = true;
        }
        var group = agent.Catalog.Get(SimulatedHostSpec.Vg);
        if (group.Metadata.Find(SimulatedHostSpec.Origin) is not null)
            return created ? $"simulated disk: {SimulatedHostSpec.Vg} created" : null;
        await agent.Agent.Ask<LvRow>(new CreateLv(SimulatedHostSpec.Vg, SimulatedHostSpec.Origin, host.OriginBytes), AskLimit, ct);
        await Task.Run(() => Fill(host, group), ct);
        return $"simulated disk: {host.Volume} created ({ByteCounts.Format(host.OriginBytes)}) and filled with the pattern of {host.HostId}";
    }

    /// <summary>Writes the host's pattern over the whole origin, through a session like any writer.</summary>
    public static void Fill(SimulatedHostSpec host, VolumeGroup group)
    {
        using var session = group.Open(SimulatedHostSpec.Origin);
        var buffer = new byte[WriteBytes];
        for (long offset = 0; offset < session.Length; offset += WriteBytes)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(WriteBytes, session.Length - offset));
            Pattern(host.HostId, offset, span);
            session.Write(offset, span);
        }
        session.Flush();
    }

    /// <summary>The pattern bytes of <paramref name="hostId"/> at <paramref name="offset"/> (page aligned; each 4 KiB page seeded on its own).</summary>
    public static void Pattern(string hostId, long offset, Span<byte> buffer)
    {
        if (offset % PageBytes != 0) throw new ArgumentException($"the pattern is written in whole pages: offset {offset} is not a multiple of {PageBytes}", nameof(offset));
        for (int i = 0; i < buffer.Length; i += PageBytes)
        {
            var random = new DeterministicRandom(DeterministicRandom.Seed(hostId, (ulong)((offset + i) / PageBytes)));
            random.Fill(buffer.Slice(i, Math.Min(PageBytes, buffer.Length - i)));
        }
    }

    /// <summary>The whole image a fresh host starts with.</summary>
    public static byte[] Image(string hostId, long bytes)
    {
        var image = new byte[bytes];
        Pattern(hostId, 0, image);
        return image;
    }

    public static long FreeBytes(SimulatedHostSpec host, HostCatalog catalog) =>
        Math.Max(0, host.CapacityBytes - catalog.Lvs(null).Sum(r => r.SizeBytes));
}
