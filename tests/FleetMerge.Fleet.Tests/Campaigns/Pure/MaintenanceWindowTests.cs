using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class MaintenanceWindowTests
{
    private static MaintenanceWindowSpec Window(int start, int end, string tz = "Europe/Berlin") => new(new TimeOnly(start, 0), new TimeOnly(end, 0), tz);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 59, false)]  // 01:59 Berlin (CET, +1)
    [InlineData(1, 0, true)]    // 02:00
    [InlineData(2, 59, true)]   // 03:59
    [InlineData(3, 0, false)]   // 04:00 (end is exclusive)
    public void A_window_is_read_in_its_time_zone(int utcHour, int minute, bool open) =>
        Assert.Equal(open, MaintenanceWindow.IsOpen(Window(2, 4), Utc(1, 15, utcHour, minute)));

    [Theory]
    [InlineData(20, false)] // 21:00 local
    [InlineData(21, true)]  // 22:00
    [InlineData(23, true)]  // 00:00
    [InlineData(4, true)]   // 05:00
    [InlineData(5, false)]  // 06:00
    public void A_window_whose_end_is_before_its_start_spans_midnight(int utcHour, bool open) =>
        Assert.Equal(open, MaintenanceWindow.IsOpen(Window(22, 6), Utc(1, 15, utcHour)));

    [Fact]
    public void No_window_is_always_open() => Assert.True(MaintenanceWindow.IsOpen(null, Utc(1, 1, 12)));

    [Fact]
    public void Summer_time_keeps_the_local_hours()
    {
        Assert.True(MaintenanceWindow.IsOpen(Window(2, 4), Utc(7, 1, 0)));   // 02:00 CEST
        Assert.False(MaintenanceWindow.IsOpen(Window(2, 4), Utc(7, 1, 2)));  // 04:00 CEST
    }

    [Fact]
    public void The_next_opening_is_today_or_tomorrow_at_the_start_in_local_time()
    {
        Assert.Equal(Utc(1, 16, 1), MaintenanceWindow.NextOpening(Window(2, 4), Utc(1, 15, 12)));
        Assert.Equal(Utc(1, 15, 1), MaintenanceWindow.NextOpening(Window(2, 4), Utc(1, 15, 0)));
        var now = Utc(1, 15, 1, 30);
        Assert.Equal(now, MaintenanceWindow.NextOpening(Window(2, 4), now));
    }

    [Fact]
    public void A_start_in_the_skipped_hour_opens_when_the_clock_resumes_and_a_repeated_hour_opens_the_first_time()
    {
        // 2026-03-29: Berlin skips 02:00-03:00 (01:00 UTC is 03:00 CEST).
        Assert.Equal(Utc(3, 29, 1), MaintenanceWindow.NextOpening(Window(2, 4), Utc(3, 28, 12)));
        // 2026-10-25: 02:00-03:00 happens twice; the first 02:00 is CEST (00:00 UTC).
        Assert.Equal(Utc(10, 25, 0), MaintenanceWindow.NextOpening(Window(2, 4), Utc(10, 24, 12)));
    }

    [Fact]
    public void An_unknown_time_zone_is_a_bad_request()
    {
        var e = Assert.Throws<FleetRequestException>(() => MaintenanceWindow.IsOpen(Window(2, 4, "Europe/Atlantis"), Utc(1, 1, 0)));
        Assert.Equal(FleetRequestException.BadRequest, e.Kind);
        Assert.StartsWith("window time zone 'Europe/Atlantis': unknown time zone", e.Message, StringComparison.Ordinal);
    }
}
