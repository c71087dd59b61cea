using System.Runtime.InteropServices;

namespace FleetMerge.Torture.Cli;

/// <summary>Random bytes from a trial's seed at memory speed (a seeded System.Random fills slowly): xorshift64* seeded from it.</summary>
public static class SeededBytes
{
    public static byte[] Make(Random random, int length)
    {
        var bytes = new byte[length];
        Fill(random, bytes);
        return bytes;
    }

    public static void Fill(Random random, Span<byte> into)
    {
        ulong x = (ulong)random.NextInt64() | 1;
        var words = MemoryMarshal.Cast<byte, ulong>(into);
        for (int i = 0; i < words.Length; i++)
        {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            words[i] = x * 0x2545F4914F6CDD1DUL;
        }
        for (int i = words.Length * 8; i < into.Length; i++) into[i] = (byte)random.Next(256);
    }
}
