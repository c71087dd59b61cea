namespace FleetMerge.Torture.Node;

/// <summary>
/// The independent model of one origin family: the origin's bytes and each snapshot's view as plain
/// byte arrays, changed only by what the trial sent and the node acknowledged. A snapshot's view is
/// the origin's bytes at the instant it was taken plus the writes sent to the snapshot itself;
/// origin writes never touch it. A merge makes the origin equal to the merged snapshot's view.
/// </summary>
public sealed class FamilyModel(byte[] origin)
{
    private readonly Dictionary<string, byte[]> snapshots = new(StringComparer.Ordinal);

    public byte[] Origin { get; private set; } = origin;

    public IReadOnlyDictionary<string, byte[]> Snapshots => snapshots;

    public void TakeSnapshot(string name) => snapshots.Add(name, (byte[])Origin.Clone());

    public void WriteOrigin(long offset, ReadOnlySpan<byte> data) => data.CopyTo(Origin.AsSpan((int)offset));

    public void WriteSnapshot(string name, long offset, ReadOnlySpan<byte> data) => data.CopyTo(snapshots[name].AsSpan((int)offset));

    /// <summary>The merge's result: the origin takes the snapshot's view and the snapshot is gone.</summary>
    public void Merge(string name)
    {
        Origin = snapshots[name];
        snapshots.Remove(name);
    }

    /// <summary>The first offset where <paramref name="actual"/> differs from <paramref name="expected"/>, or -1.</summary>
    public static long FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.Length != actual.Length) return Math.Min(expected.Length, actual.Length);
        int common = expected.CommonPrefixLength(actual);
        return common == expected.Length ? -1 : common;
    }
}
