namespace FleetMerge.Storage.Tests.Properties;

/// <summary>
/// The trivial model of every view of an origin and its snapshots: each view is a plain byte array.
/// A snapshot starts as a copy of the origin at the moment it is created; an origin write changes
/// only the origin view, a snapshot write only that snapshot's view. Nothing about chunks, COWs
/// or exceptions lives here.
/// </summary>
public sealed class ViewModel(byte[] origin)
{
    public byte[] Origin { get; } = origin;

    public List<byte[]> Snapshots { get; } = [];

    public int AddSnapshot()
    {
        Snapshots.Add((byte[])Origin.Clone());
        return Snapshots.Count - 1;
    }

    public void WriteOrigin(long offset, ReadOnlySpan<byte> data) => data.CopyTo(Origin.AsSpan(checked((int)offset)));

    public void WriteSnapshot(int index, long offset, ReadOnlySpan<byte> data) =>
        data.CopyTo(Snapshots[index].AsSpan(checked((int)offset)));

    /// <summary>Deterministic pseudo-random bytes for a write, so a scenario prints small and replays exactly.</summary>
    public static byte[] Payload(int length, int seed)
    {
        byte[] bytes = new byte[length];
        // SplitMix64, eight bytes a step: fast, and never the same pattern for two seeds.
        ulong state = (ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan(0, length & ~7));
        for (int i = 0; i < words.Length; i++) words[i] = Next(ref state);
        for (int i = length & ~7; i < length; i++) bytes[i] = (byte)Next(ref state);
        return bytes;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Throws with the first differing offset when the engine's bytes are not the model's.</summary>
    public static void AssertSame(string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, long baseOffset = 0)
    {
        if (expected.SequenceEqual(actual)) return;
        if (expected.Length != actual.Length)
            throw new ModelMismatchException($"{what}: length {actual.Length}, model says {expected.Length}");
        int i = expected.CommonPrefixLength(actual);
        int j = i;
        while (j < expected.Length && expected[j] != actual[j]) j++;
        int differing = 0;
        for (int k = i; k < expected.Length; k++) if (expected[k] != actual[k]) differing++;
        throw new ModelMismatchException(
            $"{what}: first difference at byte {baseOffset + i} (engine 0x{actual[i]:x2}, model 0x{expected[i]:x2}); " +
            $"first differing run {j - i} bytes; {differing} bytes differ in all");
    }
}

/// <summary>The engine disagrees with a model (the message says where).</summary>
public sealed class ModelMismatchException(string message, Exception? inner = null) : Exception(message, inner);
