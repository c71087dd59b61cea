using System.Buffers.Binary;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Torture.Fuzz;

namespace FleetMerge.Torture.Tests.Fuzz;

/// <summary>Each mutation does what its name says, read back by the layout alone.</summary>
public sealed class CowMutatorTests
{
    private const int Chunk = 4096;
    private const long OriginBytes = 64 * Chunk;

    /// <summary>A 4K store with three entries 5->2, 9->3, 11->4 written by hand in the dm-snapshot layout.</summary>
    private static byte[] Store()
    {
        byte[] cow = new byte[40 * Chunk];
        using (ExceptionStore.Format(new MemoryBlockFile(cow), ChunkGeometry.FromBytes(Chunk))) { }
        (ulong, ulong)[] entries = [(5, 2), (9, 3), (11, 4)];
        for (int i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(Chunk + i * 16), entries[i].Item1);
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(Chunk + i * 16 + 8), entries[i].Item2);
        }
        Assert.Empty(CowVerification.Findings(new MemoryBlockFile(cow), OriginBytes));
        return cow;
    }

    private static byte[] Mutate(CowMutation kind, int seed = 1) =>
        new CowMutator(new Random(seed), Chunk, OriginBytes, 3).Apply(Store(), kind).Cow;

    private static IReadOnlyList<string> Fsck(byte[] cow) => CowVerification.Findings(new MemoryBlockFile(cow, "c"), OriginBytes);

    [Fact]
    public void The_header_mutations_change_the_field_they_name_and_nothing_else()
    {
        var good = Store();
        foreach (var (kind, at) in new[] { (CowMutation.WrongMagic, 0), (CowMutation.ValidFlag, 4), (CowMutation.WrongVersion, 8), (CowMutation.HugeChunkSize, 12) })
            for (int seed = 0; seed < 10; seed++)
            {
                var bad = Mutate(kind, seed);
                Assert.Equal(good.Length, bad.Length);
                int first = bad.AsSpan().CommonPrefixLength(good);
                if (first == bad.Length) continue; // the random value happened to be the old one
                Assert.InRange(first, at, at + 3);
                Assert.True(bad.AsSpan(at + 4).SequenceEqual(good.AsSpan(at + 4)), $"{kind} changed more than its field");
            }
    }

    [Fact]
    public void Entry_mutations_give_the_finding_they_name()
    {
        Assert.Contains(Fsck(Mutate(CowMutation.OldChunkBeyondOrigin)), f => f.Contains("beyond the end of the origin"));
        Assert.Contains(Fsck(Mutate(CowMutation.NewChunkBeyondCow)), f => f.Contains("beyond the end of the COW"));
        Assert.Contains(Fsck(Mutate(CowMutation.NewChunkInMetadata)), f => f.Contains("metadata chunk"));
        Assert.Contains(Fsck(Mutate(CowMutation.DuplicateOldChunk)), f => f.Contains("already mapped"));
        Assert.Contains(Fsck(Mutate(CowMutation.DuplicateNewChunk)), f => f.Contains("already used"));
        Assert.Contains(Fsck(Mutate(CowMutation.TableNeverEnds)), f => f.Contains("table does not end"));
    }

    [Fact]
    public void A_stray_entry_after_the_end_is_unreachable_as_in_the_kernel()
    {
        var stray = Mutate(CowMutation.StrayEntryAfterEnd);
        var table = ExceptionTable.Read(new MemoryBlockFile(stray), ChunkGeometry.FromBytes(Chunk));
        Assert.Equal(3, table.Entries.Count);
        Assert.NotEmpty(table.StrayEntriesAfterEnd);
        Assert.Empty(Fsck(stray)); // what a torn merge commit leaves: no finding
    }

    [Fact]
    public void New_chunk_at_the_header_ends_the_table_early_and_next_free_in_the_future_stays_legal()
    {
        var cut = Mutate(CowMutation.NewChunkAtHeader);
        var table = ExceptionTable.Read(new MemoryBlockFile(cut), ChunkGeometry.FromBytes(Chunk));
        Assert.True(table.Entries.Count < 3);
        var future = Mutate(CowMutation.NextFreeInTheFuture);
        Assert.Empty(Fsck(future));
        Assert.Equal(39ul + 1, ExceptionTable.Read(new MemoryBlockFile(future), ChunkGeometry.FromBytes(Chunk)).NextFree);
    }

    [Fact]
    public void Truncation_only_shortens_and_bit_flips_flip_one_to_three_bits()
    {
        var good = Store();
        for (int seed = 0; seed < 20; seed++)
        {
            var cut = Mutate(CowMutation.Truncate, seed);
            Assert.True(cut.Length < good.Length);
            Assert.True(cut.AsSpan().SequenceEqual(good.AsSpan(0, cut.Length)));
            foreach (var kind in new[] { CowMutation.FlipHeaderBits, CowMutation.FlipAreaBits, CowMutation.FlipDataBits })
            {
                var flipped = Mutate(kind, seed);
                int bits = 0;
                for (int i = 0; i < good.Length; i++) bits += System.Numerics.BitOperations.PopCount((uint)(good[i] ^ flipped[i]));
                Assert.InRange(bits, 0, 3); // two flips of one bit cancel out
            }
        }
    }

    [Fact]
    public void A_garbage_block_is_one_sector_or_one_chunk()
    {
        var good = Store();
        for (int seed = 0; seed < 20; seed++)
        {
            var bad = Mutate(CowMutation.GarbageBlock, seed);
            int first = bad.AsSpan().CommonPrefixLength(good);
            int last = good.Length - 1;
            while (last >= 0 && bad[last] == good[last]) last--;
            if (last < first) continue;
            Assert.True(last - first < Chunk, $"seed {seed}: garbage spans bytes {first}..{last}");
        }
    }
}
