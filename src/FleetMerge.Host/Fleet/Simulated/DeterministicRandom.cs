using System.Buffers.Binary;
using System.Text;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// SplitMix64: the same numbers for the same seed on every machine and every .NET version (unlike
/// System.Random), so a simulated host re-created from its id has the same bytes and the same faults.
/// </summary>
public struct DeterministicRandom(ulong seed)
{
    private ulong state = seed;

    /// <summary>A seed from text (FNV-1a over its UTF-8 bytes), mixed with <paramref name="salt"/>.</summary>
    public static ulong Seed(string text, ulong salt = 0)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return Mix(hash ^ Mix(salt + 0x9E3779B97F4A7C15UL));
    }

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>0 ≤ result &lt; <paramref name="bound"/>.</summary>
    public long Below(long bound) => bound <= 0 ? throw new ArgumentOutOfRangeException(nameof(bound)) : (long)(Next() % (ulong)bound);

    public void Fill(Span<byte> buffer)
    {
        int i = 0;
        for (; i + 8 <= buffer.Length; i += 8) BinaryPrimitives.WriteUInt64LittleEndian(buffer[i..], Next());
        if (i < buffer.Length)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..(buffer.Length - i)].CopyTo(buffer[i..]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
