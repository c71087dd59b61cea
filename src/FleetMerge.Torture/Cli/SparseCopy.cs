namespace FleetMerge.Torture.Cli;

/// <summary>Copies a file leaving its all-zero blocks as holes (cp --sparse=always): a COW is mostly unwritten.</summary>
public static class SparseCopy
{
    private const int Block = 64 << 10;

    public static void Copy(string from, string to)
    {
        using var source = File.OpenHandle(from);
        using var target = File.OpenHandle(to, FileMode.Create, FileAccess.Write);
        long length = RandomAccess.GetLength(source);
        var buffer = new byte[Block];
        for (long at = 0; at < length; at += Block)
        {
            int n = RandomAccess.Read(source, buffer, at);
            var block = buffer.AsSpan(0, n);
            if (block.IndexOfAnyExcept((byte)0) >= 0) RandomAccess.Write(target, block, at);
        }
        RandomAccess.SetLength(target, length);
    }
}
