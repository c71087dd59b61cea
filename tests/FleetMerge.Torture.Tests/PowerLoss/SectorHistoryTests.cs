using FleetMerge.Torture.PowerLoss;

namespace FleetMerge.Torture.Tests.PowerLoss;

public sealed class SectorHistoryTests
{
    private static byte[] Fill(byte value, int sectors = 1) => Enumerable.Repeat(value, sectors * 512).ToArray();

    private static SectorHistory TwoWrites()
    {
        var h = new SectorHistory(Fill(0, 4));
        h.Write(0, 512, Fill(1));
        h.Flush(1);
        h.Write(2, 512, Fill(2, 2));
        return h;
    }

    [Fact]
    public void A_sector_may_hold_any_version_between_the_flushed_one_and_the_one_being_written()
    {
        var h = TwoWrites();
        byte[] view = Fill(0, 4);
        Fill(1).CopyTo(view, 512);
        Assert.Null(h.Check(view, lastStarted: 2, durableBefore: h.LastFlushBefore(3)));   // step 2 lost: allowed
        Fill(2).CopyTo(view, 1024);
        Assert.Null(h.Check(view, lastStarted: 2, durableBefore: h.LastFlushBefore(3)));   // half of step 2: allowed per sector
    }

    [Fact]
    public void A_flushed_write_lost_or_a_write_not_yet_started_is_caught()
    {
        var h = TwoWrites();
        Assert.Contains("sector 1", h.Check(Fill(0, 4), lastStarted: 2, durableBefore: h.LastFlushBefore(3)));
        byte[] future = Fill(0, 4);
        Fill(2, 2).CopyTo(future, 512);
        Assert.Contains("allowed versions 0..1", h.Check(future, lastStarted: 1, durableBefore: -1));
    }

    [Fact]
    public void A_sector_no_step_wrote_must_stay_as_it_was()
    {
        var h = TwoWrites();
        byte[] view = Fill(0, 4);
        Fill(1).CopyTo(view, 512);
        view[3 * 512 + 7] = 9;
        Assert.Contains("no step wrote it", h.Check(view, lastStarted: 2, durableBefore: 1));
    }
}
