using System.Buffers.Binary;
using FleetMerge.Torture.Cli;

namespace FleetMerge.Torture.Tests.Cli;

/// <summary>The independent reader against a store laid out by hand from the format (header, area 0, data chunks).</summary>
public sealed class RawCowTests
{
    [Fact]
    public void A_hand_made_store_reads_as_its_table_and_its_view()
    {
        string dir = Directory.CreateTempSubdirectory("tcli-rawcow-").FullName;
        try
        {
            const int chunk = 4096;
            var cow = new byte[6 * chunk];
            BinaryPrimitives.WriteUInt32LittleEndian(cow, 0x70416E53); // magic
            BinaryPrimitives.WriteUInt32LittleEndian(cow.AsSpan(4), 1); // valid
            BinaryPrimitives.WriteUInt32LittleEndian(cow.AsSpan(8), 1); // version
            BinaryPrimitives.WriteUInt32LittleEndian(cow.AsSpan(12), chunk / 512);
            // Area 0 at chunk 1: origin chunk 2 -> COW chunk 2, origin chunk 0 -> COW chunk 3, then the end.
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(chunk), 2);
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(chunk + 8), 2);
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(chunk + 16), 0);
            BinaryPrimitives.WriteUInt64LittleEndian(cow.AsSpan(chunk + 24), 3);
            Array.Fill(cow, (byte)0xc2, 2 * chunk, chunk);
            Array.Fill(cow, (byte)0xc0, 3 * chunk, chunk);
            string cowPath = Path.Combine(dir, "a.cow"), originPath = Path.Combine(dir, "origin.img");
            File.WriteAllBytes(cowPath, cow);
            File.WriteAllBytes(originPath, Enumerable.Repeat((byte)0x11, 3 * chunk).ToArray());

            var table = RawCow.Read(cowPath);
            var view = RawCow.View(originPath, cowPath);

            Assert.True(table.Valid);
            Assert.Equal([(2UL, 2UL), (0UL, 3UL)], table.Entries);
            Assert.All(view.AsSpan(0, chunk).ToArray(), b => Assert.Equal(0xc0, b));
            Assert.All(view.AsSpan(chunk, chunk).ToArray(), b => Assert.Equal(0x11, b));
            Assert.All(view.AsSpan(2 * chunk, chunk).ToArray(), b => Assert.Equal(0xc2, b));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
