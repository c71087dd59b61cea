using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// A daily maintenance window read in its IANA time zone: open from Start (inclusive) to End
/// (exclusive); End before Start spans midnight. Local wall-clock times, so across a DST change
/// the window keeps its local hours (a start inside a skipped hour opens when the clock resumes).
/// </summary>
public static class MaintenanceWindow
{
    public static TimeZoneInfo TimeZone(MaintenanceWindowSpec window)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone ?? ""); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FleetRequestException(FleetRequestException.BadRequest, $"window time zone '{window.TimeZone}': unknown time zone (expected an IANA id such as Europe/Berlin)");
        }
    }

    /// <summary>True when steps may start at <paramref name="now"/> (always without a window).</summary>
    public static bool IsOpen(MaintenanceWindowSpec? window, DateTimeOffset now)
    {
        if (window is null) return true;
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZone(window)).DateTime);
        return window.Start < window.End
            ? local >= window.Start && local < window.End
            : local >= window.Start || local < window.End;
    }

    /// <summary>When the window next opens after <paramref name="now"/> (<paramref name="now"/> itself when open).</summary>
    public static DateTimeOffset NextOpening(MaintenanceWindowSpec? window, DateTimeOffset now)
    {
        if (window is null || IsOpen(window, now)) return now;
        var zone = TimeZone(window);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (int day = 0; day <= 2; day++)
        {
            var opening = AtLocal(zone, today.AddDays(day).ToDateTime(window.Start));
            if (opening > now) return opening;
        }
        throw new InvalidOperationException($"window {window}: no opening within two days of {now:O}");
    }

    /// <summary>The instant a local wall-clock time names: the earlier one when ambiguous, the first after the gap when skipped.</summary>
    private static DateTimeOffset AtLocal(TimeZoneInfo zone, DateTime local)
    {
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static string Describe(MaintenanceWindowSpec window) => $"{window.Start:HH\\:mm}-{window.End:HH\\:mm} {window.TimeZone}";
}
