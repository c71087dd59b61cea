using System.Buffers.Binary;

namespace FleetMerge.Torture.Fuzz;

/// <summary>
/// Damages a copy of a valid COW store in one <see cref="CowMutation"/>, knowing only the dm-snapshot
/// layout (header in chunk 0, area k at chunk 1 + k(E+1) with E = chunk / 16 entries of old, new as
/// little-endian u64, a zero new chunk ending the table), never the engine's code.
/// </summary>
public sealed class CowMutator(Random rng, int chunkBytes, long originBytes, int entries)
{
    private const int EntryBytes = 16;

    private int PerArea => chunkBytes / EntryBytes;
    private long Stride => PerArea + 1;
    private long AreaOffset(long area) => (1 + area * Stride) * chunkBytes;
    private long EntryOffset(int index) => AreaOffset(index / PerArea) + (long)(index % PerArea) * EntryBytes;

    /// <summary>Returns the damaged store (a new array when its length changes) and what was done.</summary>
    public (byte[] Cow, string What) Apply(byte[] cow, CowMutation kind)
    {
        byte[] c = (byte[])cow.Clone();
        long cowChunks = c.LongLength / chunkBytes;
        int Entry() => entries == 0 ? 0 : rng.Next(entries);
        switch (kind)
        {
            case CowMutation.FlipHeaderBits:
                return (c, FlipBits(c, 0, rng.Next(4) == 0 ? chunkBytes : 16));
            case CowMutation.FlipAreaBits:
            {
                long area = rng.Next((int)Math.Max(1, (entries + PerArea - 1) / PerArea));
                int used = Math.Min(chunkBytes, ((entries - (int)area * PerArea) + 1) * EntryBytes);
                int span = rng.Next(4) == 0 || used <= 0 ? chunkBytes : used;
                return (c, FlipBits(c, AreaOffset(area), span));
            }
            case CowMutation.FlipDataBits:
                return (c, FlipBits(c, (long)rng.Next(2, (int)cowChunks) * chunkBytes, chunkBytes));
            case CowMutation.Truncate:
            {
                long to = rng.Next(4) switch
                {
                    0 => 0,
                    1 => rng.Next(1, chunkBytes),                                    // inside the header
                    2 => AreaOffset(0) + rng.Next(1, chunkBytes),                     // inside area 0
                    _ => (long)rng.Next(2 * chunkBytes / 512, c.Length / 512) * 512,  // among the data, whole sectors
                };
                return (c[..(int)to], $"truncated to {to} bytes (of {c.Length})");
            }
            case CowMutation.GarbageBlock:
            {
                int length = rng.Next(2) == 0 ? 512 : chunkBytes;
                long at = rng.Next(3) switch
                {
                    0 => 0,
                    1 => AreaOffset(0) + (length == 512 ? rng.Next(chunkBytes / 512) * 512 : 0),
                    _ => (long)rng.Next(2 * chunkBytes / 512, (c.Length - length) / 512 + 1) * 512,
                };
                rng.NextBytes(c.AsSpan((int)at, length));
                return (c, $"{length} bytes of garbage at byte {at}");
            }
            case CowMutation.HugeChunkSize:
            {
                uint[] values = [1u << 31, 0, 3, uint.MaxValue, 2048, 4];
                uint v = values[rng.Next(values.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(12), v);
                return (c, $"header chunk size {v} sectors");
            }
            case CowMutation.OldChunkBeyondOrigin:
            {
                ulong originChunks = (ulong)((originBytes + chunkBytes - 1) / chunkBytes);
                ulong[] values = [ulong.MaxValue, 1ul << 63, originChunks, originChunks + (ulong)rng.Next(1, 1000)];
                return SetEntry(c, Entry(), old: values[rng.Next(values.Length)], @new: null);
            }
            case CowMutation.NewChunkBeyondCow:
            {
                ulong[] values = [ulong.MaxValue, 1ul << 63, (ulong)cowChunks, (ulong)cowChunks + (ulong)rng.Next(1, 1000)];
                return SetEntry(c, Entry(), old: null, @new: values[rng.Next(values.Length)]);
            }
            case CowMutation.NextFreeInTheFuture:
            {
                ulong last = (ulong)cowChunks - 1;
                if (last % (ulong)Stride == 1) last--; // the last chunk is a metadata area: the one before it
                return SetEntry(c, Math.Max(0, entries - 1), old: null, @new: last);
            }
            case CowMutation.DuplicateOldChunk:
            {
                int a = Entry(), b = Entry();
                return SetEntry(c, b == a ? entries : b, old: ReadEntry(c, a).Old, @new: b == a ? ReadEntry(c, a).New + 1 : null);
            }
            case CowMutation.DuplicateNewChunk:
            {
                int a = Entry(), b = Entry();
                return SetEntry(c, b == a ? entries : b, old: b == a ? ReadEntry(c, a).Old + 1 : null, @new: ReadEntry(c, a).New);
            }
            case CowMutation.NewChunkInMetadata:
            {
                long areas = Math.Max(1, (cowChunks - 1) / Stride);
                return SetEntry(c, Entry(), old: null, @new: (ulong)(1 + rng.Next((int)Math.Min(areas, 4)) * Stride));
            }
            case CowMutation.NewChunkAtHeader:
                return SetEntry(c, Entry(), old: null, @new: 0);
            case CowMutation.StrayEntryAfterEnd:
            {
                int index = entries + 1 + rng.Next(Math.Max(1, PerArea - entries % PerArea - 1));
                if (index / PerArea != entries / PerArea) index = entries; // the end sits at the area's last slot: overwrite it
                return SetEntry(c, index, old: (ulong)rng.Next(1, 100), @new: (ulong)rng.Next(2, 100));
            }
            case CowMutation.TableNeverEnds:
            {
                for (long area = 0; AreaOffset(area) + chunkBytes <= c.Length; area++)
                    for (int i = 0; i < PerArea; i++)
                    {
                        var e = c.AsSpan((int)(AreaOffset(area) + i * EntryBytes), EntryBytes);
                        if (BinaryPrimitives.ReadUInt64LittleEndian(e[8..]) == 0)
                            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], (ulong)rng.Next(2, int.MaxValue));
                    }
                return (c, "every metadata area full of non-zero entries");
            }
            case CowMutation.WrongMagic:
            {
                uint v = rng.Next(3) == 0 ? 0 : (uint)rng.Next();
                BinaryPrimitives.WriteUInt32LittleEndian(c, v);
                return (c, $"magic 0x{v:x8}");
            }
            case CowMutation.WrongVersion:
            {
                uint[] values = [0, 2, uint.MaxValue, (uint)rng.Next()];
                uint v = values[rng.Next(values.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(8), v);
                return (c, $"version {v}");
            }
            case CowMutation.ValidFlag:
            {
                uint v = rng.Next(2) == 0 ? 0 : (uint)rng.Next(2, int.MaxValue);
                BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), v);
                return (c, $"valid flag {v}");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such mutation");
        }
    }

    /// <summary>Entry <paramref name="index"/> as on disk (area and slot from the layout).</summary>
    public (ulong Old, ulong New) ReadEntry(byte[] cow, int index)
    {
        long at = EntryOffset(index);
        if (at + EntryBytes > cow.Length) return (0, 0);
        return (BinaryPrimitives.ReadUInt64LittleEndian(cow.AsSpan((int)at)), BinaryPrimitives.ReadUInt64LittleEndian(cow.AsSpan((int)at + 8)));
    }

    private (byte[], string) SetEntry(byte[] c, int index, ulong? old, ulong? @new)
    {
        long at = EntryOffset(index);
        if (at + EntryBytes > c.Length) return (c, $"entry {index} lies beyond the COW: unchanged");
        var (o, n) = ReadEntry(c, index);
        if (old is ulong ov) BinaryPrimitives.WriteUInt64LittleEndian(c.AsSpan((int)at), ov);
        if (@new is ulong nv) BinaryPrimitives.WriteUInt64LittleEndian(c.AsSpan((int)at + 8), nv);
        var (o2, n2) = ReadEntry(c, index);
        return (c, $"entry {index} {o}->{n} made {o2}->{n2}");
    }

    private string FlipBits(byte[] c, long from, int span)
    {
        span = (int)Math.Min(span, c.Length - from);
        var bits = new List<long>();
        for (int i = 1 + rng.Next(3); i > 0; i--)
        {
            long bit = from * 8 + rng.NextInt64((long)span * 8);
            c[bit / 8] ^= (byte)(1 << (int)(bit % 8));
            bits.Add(bit);
        }
        return $"bit(s) {string.Join(",", bits.Select(b => $"{b / 8}.{b % 8}"))} flipped";
    }
}
