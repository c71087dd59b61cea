namespace FleetMerge.Storage.Volumes;

/// <summary>
/// A stretch of a request served by one device I/O: either the origin (<see cref="InCow"/> false)
/// or the COW, at <see cref="DeviceOffset"/>, for <see cref="Length"/> bytes starting at
/// <see cref="BufferOffset"/> of the caller's buffer.
/// </summary>
public readonly record struct ChunkRun(bool InCow, long DeviceOffset, int BufferOffset, int Length);

/// <summary>Turns a byte range plus its chunks' COW locations into as few device I/Os as possible.</summary>
public static class ChunkRuns
{
    /// <summary>Largest single I/O; keeps pooled buffers bounded.</summary>
    public const int MaxRunBytes = 4 << 20;

    /// <param name="offset">Byte offset on the origin/snapshot device.</param>
    /// <param name="length">Bytes requested.</param>
    /// <param name="chunkShift">log2 of the chunk size in bytes.</param>
    /// <param name="cowChunks">COW chunk of each chunk touched, first chunk first; 0 = not in the COW.</param>
    public static List<ChunkRun> Plan(long offset, int length, int chunkShift, ReadOnlySpan<ulong> cowChunks)
    {
        var runs = new List<ChunkRun>();
        long chunkBytes = 1L << chunkShift;
        long firstChunk = offset >> chunkShift;
        long pos = offset;
        long end = offset + length;
        while (pos < end)
        {
            long chunk = pos >> chunkShift;
            long segEnd = Math.Min(end, (chunk + 1) << chunkShift);
            ulong cowChunk = cowChunks[(int)(chunk - firstChunk)];
            bool inCow = cowChunk != 0;
            long device = inCow ? ((long)cowChunk << chunkShift) + (pos & (chunkBytes - 1)) : pos;
            int segLength = (int)(segEnd - pos);
            int bufferOffset = (int)(pos - offset);
            if (runs.Count > 0)
            {
                var last = runs[^1];
                if (last.InCow == inCow && last.DeviceOffset + last.Length == device && last.Length + segLength <= MaxRunBytes)
                {
                    runs[^1] = last with { Length = last.Length + segLength };
                    pos = segEnd;
                    continue;
                }
            }
            runs.Add(new ChunkRun(inCow, device, bufferOffset, segLength));
            pos = segEnd;
        }
        return runs;
    }
}
