namespace FleetMerge.Torture.Cli;

/// <summary>
/// Byte comparisons against a model, with failure text that says where the bytes differ. Pure.
/// </summary>
public static class ByteCompare
{
    /// <summary>The granule a write not acknowledged may leave half done: a page of the page cache.</summary>
    public const int Page = 4096;

    /// <summary>Null when equal, else where they first differ and how many 4K pages differ.</summary>
    public static string? Exactly(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.Length != actual.Length) return $"length {actual.Length}, expected {expected.Length}";
        int first = expected.CommonPrefixLength(actual);
        if (first == expected.Length) return null;
        int pages = 0;
        for (int at = first / Page * Page; at < expected.Length; at += Page)
        {
            int n = Math.Min(Page, expected.Length - at);
            if (!expected.Slice(at, n).SequenceEqual(actual.Slice(at, n))) pages++;
        }
        return $"{pages} 4K page(s) differ, first at byte {first} (expected 0x{expected[first]:x2}, got 0x{actual[first]:x2})";
    }

    /// <summary>`cow write` hands the engine its data in pieces of 4 MiB counted from the write's offset (WriteCommand.Piece).</summary>
    public const int CliPiece = 4 << 20;

    /// <summary>
    /// For an image a write of [offset, offset+length) may or may not have reached: outside the range
    /// the bytes are exactly <paramref name="before"/>; inside, every unit holds wholly the bytes before
    /// the write or wholly the bytes after it. A unit is a page (file-aligned 4K) cut to the range and
    /// cut where the writer's pieces of <paramref name="piece"/> bytes from the offset meet: an
    /// unaligned write's piece may end inside a page, and the next piece may not have come.
    /// </summary>
    public static BeforeOrAfterResult BeforeOrAfter(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, ReadOnlySpan<byte> actual, long offset, long length, int piece = CliPiece)
    {
        if (before.Length != actual.Length || after.Length != actual.Length)
            return new(0, 0, $"length {actual.Length}, expected {before.Length}");
        int start = (int)offset, end = (int)(offset + length);
        if (Exactly(before[..start], actual[..start]) is { } head) return new(0, 0, $"before the written range: {head}");
        if (Exactly(before[end..], actual[end..]) is { } tail) return new(0, 0, $"after the written range (from byte {end}): {tail}");
        int old = 0, updated = 0;
        for (int at = start; at < end;)
        {
            int next = Math.Min(end, Math.Min((at / Page + 1) * Page, (int)Math.Min(int.MaxValue, start + ((long)(at - start) / piece + 1) * piece)));
            var now = actual[at..next];
            bool isAfter = now.SequenceEqual(after[at..next]);
            if (isAfter && !now.SequenceEqual(before[at..next])) updated++;
            else if (now.SequenceEqual(before[at..next])) old++;
            else return new(old, updated, $"bytes {at}..{next - 1} are neither the bytes before the write nor after it");
            at = next;
        }
        return new(old, updated, null);
    }
}

/// <summary>Pages of a write's range still old and already new (pages the write did not change count as old); Problem null when it holds.</summary>
public sealed record BeforeOrAfterResult(int OldPages, int NewPages, string? Problem);
