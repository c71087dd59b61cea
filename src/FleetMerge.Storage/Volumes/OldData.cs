using System.Buffers;
using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Volumes;

/// <summary>
/// The origin bytes about to be overwritten, shared by the copies into each snapshot's COW. When
/// the chunks every snapshot needs lie close together they are read once, in one I/O; scattered
/// chunks (a merge of a fragmented table) are read where they are used.
/// </summary>
internal sealed class OldData : IDisposable
{
    private const int MaxBufferedBytes = 8 << 20;
    private readonly IBlockFile origin;
    private readonly byte[]? buffer;
    private readonly long start;
    private readonly int length;

    private OldData(IBlockFile origin, byte[]? buffer, long start, int length)
    {
        this.origin = origin;
        this.buffer = buffer;
        this.start = start;
        this.length = length;
    }

    public long OriginLength => origin.Length;

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
        end = Math.Min(end, origin.Length);
        if (end <= start || end - start > MaxBufferedBytes) return new OldData(origin, null, 0, 0);
        int length = (int)(end - start);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        origin.Read(start, buffer.AsSpan(0, length));
        return new OldData(origin, buffer, start, length);
    }

    public delegate void BytesAction(ReadOnlySpan<byte> bytes);

    /// <summary>Calls <paramref name="action"/> with the origin's bytes [offset, offset+count).</summary>
    public void With(long offset, int count, BytesAction action)
    {
        if (buffer is not null && offset >= start && offset + count <= start + length)
        {
            action(buffer.AsSpan((int)(offset - start), count));
            return;
        }
        byte[] scratch = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            origin.Read(offset, scratch.AsSpan(0, count));
            action(scratch.AsSpan(0, count));
        }
        finally { ArrayPool<byte>.Shared.Return(scratch); }
    }

    public void Dispose()
    {
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
