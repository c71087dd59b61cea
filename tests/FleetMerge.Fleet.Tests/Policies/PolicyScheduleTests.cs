using FleetMerge.Fleet.Policies;
using FleetMerge.Fleet.Tests.Hosts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Fleet.Tests.Policies;

public sealed class PolicyScheduleTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    private static PolicySchedule Schedule(string cron, string zone = "Europe/Berlin") => PolicySchedule.Of(PolicySpecs.Daily with { Cron = cron, TimeZone = zone });

    private static DateTimeOffset Berlin(int month, int day, int hour, int minute, int offsetHours, int second = 0) =>
        new(2025, month, day, hour, minute, second, TimeSpan.FromHours(offsetHours));

    [Fact]
    public void Next_run_is_read_in_the_policys_time_zone()
    {
        var at = new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(Berlin(1, 15, 2, 30, +1), Schedule("30 2 * * *").NextAfter(at));
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 2, 30, 0, TimeSpan.Zero), Schedule("30 2 * * *", "UTC").NextAfter(at));
        // Strictly after: an occurrence is not its own next.
        Assert.Equal(Berlin(1, 16, 2, 30, +1), Schedule("30 2 * * *").NextAfter(Berlin(1, 15, 2, 30, +1)));
    }

    [Fact]
    public void A_daily_run_in_the_spring_forward_gap_runs_at_the_end_of_the_gap()
    {
        // 2025-03-30 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
        var schedule = Schedule("30 2 * * *");
        Assert.Equal(Berlin(3, 30, 3, 0, +2), schedule.NextAfter(Berlin(3, 29, 2, 30, +1)));
        Assert.Equal(Berlin(3, 31, 2, 30, +2), schedule.NextAfter(Berlin(3, 30, 3, 0, +2)));

        var due = schedule.DueAt(anchor: Berlin(3, 29, 2, 30, +1), now: Berlin(3, 30, 3, 0, +2, second: 10), Lateness);
        Assert.Equal(new DueRun(Berlin(3, 30, 3, 0, +2), Missed: false), due);
    }

    [Fact]
    public void A_daily_run_in_the_fall_back_overlap_runs_once()
    {
        // 2025-10-26 03:00 CEST falls back to 02:00 CET: 02:30 happens twice; a daily run takes the first.
        var schedule = Schedule("30 2 * * *");
        Assert.Equal(Berlin(10, 26, 2, 30, +2), schedule.NextAfter(Berlin(10, 25, 2, 30, +2)));
        Assert.Equal(Berlin(10, 27, 2, 30, +1), schedule.NextAfter(Berlin(10, 26, 2, 30, +2)));
        Assert.Null(schedule.DueAt(anchor: Berlin(10, 26, 2, 30, +2), now: Berlin(10, 26, 2, 30, +1, second: 15), Lateness));
    }

    [Fact]
    public void An_interval_cron_runs_in_both_copies_of_the_repeated_hour()
    {
        var schedule = Schedule("*/30 * * * *");
        Assert.Equal(
            [Berlin(10, 26, 2, 30, +2), Berlin(10, 26, 2, 0, +1), Berlin(10, 26, 2, 30, +1), Berlin(10, 26, 3, 0, +1)],
            Runs(schedule, Berlin(10, 26, 2, 0, +2), Berlin(10, 26, 3, 0, +1)).Select(r => r.Due));
    }

    [Theory]
    [InlineData(3, 30, 46)]   // 23-hour day: 2 runs fewer
    [InlineData(10, 26, 50)]  // 25-hour day: 2 runs more
    [InlineData(6, 1, 48)]
    public void Ticking_through_a_day_runs_every_occurrence_once_and_on_time(int month, int day, int expected)
    {
        var schedule = Schedule("*/30 * * * *");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var midnight = new DateTime(2025, month, day, 0, 0, 0);
        var from = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).AddSeconds(-1);
        var to = new DateTimeOffset(midnight.AddDays(1), zone.GetUtcOffset(midnight.AddDays(1))).AddSeconds(-1);
        var runs = Runs(schedule, from, to);
        Assert.Equal(expected, runs.Count);
        Assert.Equal((to - from).TotalHours * 2, runs.Count);
        Assert.All(runs, r => Assert.False(r.Missed));
        Assert.Equal(runs.Count, runs.Select(r => r.Due).Distinct().Count());
    }

    /// <summary>A coordinator ticking every 15 s from <paramref name="from"/> to <paramref name="to"/>, starting each due run.</summary>
    private static List<DueRun> Runs(PolicySchedule schedule, DateTimeOffset from, DateTimeOffset to)
    {
        var runs = new List<DueRun>();
        var anchor = from;
        for (var now = from; now <= to; now += Tick)
        {
            if (schedule.DueAt(anchor, now, Lateness) is not { } run) continue;
            runs.Add(run);
            anchor = run.Due;
        }
        return runs;
    }

    [Fact]
    public void A_weekend_without_a_coordinator_is_one_missed_run_when_it_is_back()
    {
        var schedule = Schedule("0 * * * *", "UTC");
        var lastRun = new DateTimeOffset(2025, 6, 6, 18, 0, 0, TimeSpan.Zero);   // Friday
        var back = new DateTimeOffset(2025, 6, 9, 7, 42, 10, TimeSpan.Zero);     // Monday

        var run = schedule.DueAt(lastRun, back, Lateness);
        Assert.Equal(new DueRun(new DateTimeOffset(2025, 6, 9, 7, 0, 0, TimeSpan.Zero), Missed: true), run);
        Assert.Null(schedule.DueAt(run!.Due, back + Tick, Lateness));           // not once per missed hour
        Assert.Equal(new DueRun(new DateTimeOffset(2025, 6, 9, 8, 0, 0, TimeSpan.Zero), Missed: false),
            schedule.DueAt(run.Due, new DateTimeOffset(2025, 6, 9, 8, 0, 15, TimeSpan.Zero), Lateness));
    }

    [Fact]
    public void A_single_late_run_is_missed_only_past_the_allowed_lateness()
    {
        var schedule = Schedule("0 * * * *", "UTC");
        var anchor = new DateTimeOffset(2025, 6, 9, 10, 0, 0, TimeSpan.Zero);
        Assert.Null(schedule.DueAt(anchor, anchor.AddMinutes(59), Lateness));
        Assert.False(schedule.DueAt(anchor, anchor.AddMinutes(61), Lateness)!.Missed);
        Assert.True(schedule.DueAt(anchor, anchor.AddMinutes(65), Lateness)!.Missed);
        Assert.False(schedule.DueAt(anchor, anchor.AddMinutes(65), TimeSpan.FromMinutes(10))!.Missed);
    }

    [Fact]
    public void A_policy_runs_first_at_the_first_occurrence_after_it_was_added()
    {
        var schedule = Schedule("0 2 * * *", "UTC");
        var justBefore = new DateTimeOffset(2025, 6, 9, 1, 59, 50, TimeSpan.Zero);
        Assert.Equal(new DueRun(new DateTimeOffset(2025, 6, 9, 2, 0, 0, TimeSpan.Zero), false), schedule.DueAt(justBefore, justBefore.AddSeconds(15), Lateness));
        var justAfter = new DateTimeOffset(2025, 6, 9, 2, 0, 30, TimeSpan.Zero);
        Assert.Null(schedule.DueAt(justAfter, justAfter.AddHours(23), Lateness));
        Assert.NotNull(schedule.DueAt(justAfter, justAfter.AddDays(1), Lateness));
    }

    [Fact]
    public void A_cron_that_never_fires_has_no_next_run() =>
        Assert.Null(Schedule("0 0 30 2 *", "UTC").NextAfter(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    private static readonly string[] Crons = ["*/5 * * * *", "0 * * * *", "30 2 * * *", "15 3 * * 1-5", "0 0 1 * *", "*/30 * * * *"];

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property However_long_the_outage_one_run_covers_it_and_it_is_the_latest_occurrence() =>
        Prop.ForAll(
            Arb.From(
                from cron in Gen.Elements(Crons)
                from zone in Gen.Elements("Europe/Berlin", "UTC", "America/New_York")
                from startMinutes in Gen.Choose(0, 365 * 24 * 60)
                from outageMinutes in Gen.Choose(1, 40 * 24 * 60)
                select (cron, zone, startMinutes, outageMinutes)),
            s =>
            {
                var schedule = Schedule(s.cron, s.zone);
                var anchor = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(s.startMinutes);
                var now = anchor.AddMinutes(s.outageMinutes).AddSeconds(7);
                var run = schedule.DueAt(anchor, now, Lateness);
                var next = schedule.NextAfter(anchor);
                if (next is null || next > now) return run is null;
                // One run, after the anchor, not in the future, with no occurrence left between it and now.
                return run is not null && run.Due > anchor && run.Due <= now
                    && (schedule.NextAfter(run.Due) is not { } after || after > now)
                    && schedule.DueAt(run.Due, now, Lateness) is null
                    && run.Missed == (next < run.Due || now - run.Due > Lateness);
            });
}
