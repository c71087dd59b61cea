using Cronos;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

/// <summary>
/// When a policy runs: its cron read in its time zone (Cronos handles daylight saving: an
/// occurrence in the spring-forward gap runs at the end of the gap, a daily one in the fall-back
/// overlap runs once). Pure: the caller brings the clock.
/// </summary>
public sealed class PolicySchedule(CronExpression cron, TimeZoneInfo zone)
{
    /// <summary>The schedule of a validated spec.</summary>
    public static PolicySchedule Of(PolicySpec spec) =>
        new(PolicyValidation.ParseCron(spec.Cron), PolicyValidation.FindTimeZone(spec.TimeZone));

    /// <summary>The first occurrence strictly after <paramref name="t"/>, or null if the cron never fires again (Feb 30).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset t) => cron.GetNextOccurrence(t, zone);

    /// <summary>
    /// The run due at <paramref name="now"/> when the last one counted was due at <paramref name="anchor"/>
    /// (the policy's creation before its first run): the latest occurrence after the anchor and
    /// not after now, or null. However many occurrences passed while no coordinator was up, this
    /// is one run: a fleet that was down all weekend takes one snapshot when it is back, not one
    /// per missed hour. <paramref name="lateness"/> is how late a run may start and still count as on time
    /// (a tick or two).
    /// </summary>
    public DueRun? DueAt(DateTimeOffset anchor, DateTimeOffset now, TimeSpan lateness)
    {
        if (NextAfter(anchor) is not { } first || first > now) return null;
        // Forward only: Cronos's backward search misplaces occurrences shifted by a spring-forward gap.
        // A busy cron is walked over the last two days only; a sparse one from the anchor (few steps).
        var recent = now - TimeSpan.FromDays(2);
        var due = Latest(recent > anchor ? recent : anchor, now) ?? Latest(anchor, now) ?? first;
        return new DueRun(due, first < due || now - due > lateness);
    }

    private DateTimeOffset? Latest(DateTimeOffset after, DateTimeOffset upTo)
    {
        DateTimeOffset? latest = null;
        foreach (var occurrence in cron.GetOccurrences(after, upTo, zone, fromInclusive: false, toInclusive: true)) latest = occurrence;
        return latest;
    }
}
