using FleetMerge.Torture.Cli;

namespace FleetMerge.Torture.Tests.Cli;

public sealed class ByteCompareTests
{
    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void Equal_images_compare_clean_and_a_difference_names_its_first_byte()
    {
        var a = Filled(3 * 4096, 1);
        Assert.Null(ByteCompare.Exactly(a, (byte[])a.Clone()));
        var b = (byte[])a.Clone();
        b[5000] = 9;
        Assert.Equal("1 4K page(s) differ, first at byte 5000 (expected 0x01, got 0x09)", ByteCompare.Exactly(a, b));
    }

    [Fact]
    public void A_write_may_have_reached_some_pages_and_not_others()
    {
        var before = Filled(4 * 4096, 1);
        var after = (byte[])before.Clone();
        Array.Fill(after, (byte)2, 100, 3 * 4096);
        var actual = (byte[])before.Clone();
        Array.Fill(actual, (byte)2, 100, 4096 - 100); // the first page (cut to the range) new, the rest old

        var r = ByteCompare.BeforeOrAfter(before, after, actual, 100, 3 * 4096);

        Assert.Null(r.Problem);
        Assert.Equal(1, r.NewPages);
        Assert.Equal(3, r.OldPages);
    }

    [Fact]
    public void Half_a_page_written_is_neither_before_nor_after()
    {
        var before = Filled(2 * 4096, 1);
        var after = Filled(2 * 4096, 2);
        var actual = (byte[])before.Clone();
        Array.Fill(actual, (byte)2, 0, 2048);

        Assert.Equal("bytes 0..4095 are neither the bytes before the write nor after it",
            ByteCompare.BeforeOrAfter(before, after, actual, 0, 2 * 4096).Problem);
    }

    [Fact]
    public void A_change_outside_the_written_range_is_reported_as_such()
    {
        var before = Filled(3 * 4096, 1);
        var after = (byte[])before.Clone();
        Array.Fill(after, (byte)2, 4096, 4096);
        var actual = (byte[])after.Clone();
        actual[3 * 4096 - 1] = 7;

        Assert.StartsWith("after the written range (from byte 8192)", ByteCompare.BeforeOrAfter(before, after, actual, 4096, 4096).Problem);
    }
}

public sealed class ByteComparePieceTests
{
    [Fact]
    public void A_page_may_be_torn_where_the_writers_pieces_meet_and_nowhere_else()
    {
        var before = new byte[3 * 4096];
        var after = Enumerable.Repeat((byte)2, 3 * 4096).ToArray();
        var actual = (byte[])before.Clone();
        Array.Fill(actual, (byte)2, 0, 4096 + 100); // pieces of 4196 bytes from offset 0: the first one came

        Assert.Null(ByteCompare.BeforeOrAfter(before, after, actual, 0, 3 * 4096, piece: 4096 + 100).Problem);
        Assert.NotNull(ByteCompare.BeforeOrAfter(before, after, actual, 0, 3 * 4096).Problem);
    }
}
