using System.Buffers;
using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// The origin bytes about to be overwritten, read once (one I/O over the union of the chunks every
/// snapshot needs) and shared by the copies into each COW.
/// </summary>
internal sealed class OldData : IDisposable
{
    private readonly byte[]? buffer;
    private readonly long start;

    private OldData(byte[]? buffer, long start, long originLength)
    {
        this.buffer = buffer;
        this.start = start;
        OriginLength = originLength;
    }

    public long OriginLength { get; }

    public static OldData Read(IBlockFile origin, IReadOnlyList<SnapshotCopy> copies)
    {
        long start = long.MaxValue, end = 0;
        foreach (var copy in copies)
        {
            if (copy.Pending.Count == 0) continue;
            var (s, e) = copy.Range;
            start = Math.Min(start, s);
            end = Math.Max(end, e);
        }
        if (end == 0) return new OldData(null, 0, origin.Length);
        end = Math.Min(end, origin.Length);
        int length = (int)(end - start);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        origin.Read(start, buffer.AsSpan(0, length));
        return new OldData(buffer, start, origin.Length);
    }

    public ReadOnlySpan<byte> Slice(long originOffset, int length) =>
        buffer.AsSpan((int)(originOffset - start), length);

    public void Dispose()
    {
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
