using System.Text.RegularExpressions;
using Cronos;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

/// <summary>
/// Checks a <see cref="PolicySpec"/> before it is journaled: each problem is a bad-request
/// <see cref="FleetRequestException"/> with one line naming the field. Everything a later tick
/// relies on (the cron, the time zone, the selector) is parsed here, so a journaled policy never
/// fails to schedule.
/// </summary>
public static partial class PolicyValidation
{
    public const string DefaultTimeZone = "UTC";
    public const int MinChunkBytes = 4 * 1024;
    public const int MaxChunkBytes = 512 * 1024;

    /// <summary>The spec as it will be kept: names trimmed, a blank time zone made UTC.</summary>
    public static PolicySpec Validate(PolicySpec spec)
    {
        string name = (spec.Name ?? "").Trim();
        if (!NamePattern().IsMatch(name))
            throw Bad($"policy name '{spec.Name}': use 1 to 40 of a-z, 0-9 and -");

        string cron = (spec.Cron ?? "").Trim();
        ParseCron(cron);

        string zone = string.IsNullOrWhiteSpace(spec.TimeZone) ? DefaultTimeZone : spec.TimeZone.Trim();
        FindTimeZone(zone);

        string hosts = (spec.Hosts ?? "").Trim();
        HostSelector.Parse(hosts);

        var volumes = (spec.Volumes ?? []).Select(v => (v ?? "").Trim()).ToList();
        if (volumes.Count == 0) throw Bad("volumes: at least one origin is required, as VG/LV");
        foreach (string volume in volumes)
            if (!VolumePattern().IsMatch(volume)) throw Bad($"volume '{volume}': expected VG/LV (letters, digits, + _ . -; not starting with -)");
        if (volumes.Distinct(StringComparer.Ordinal).Count() != volumes.Count)
            throw Bad($"volumes: {string.Join(", ", volumes.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key))} listed twice");

        SnapshotSize.Parse(spec.Size);

        if (spec.ChunkBytes < MinChunkBytes || spec.ChunkBytes > MaxChunkBytes || (spec.ChunkBytes & (spec.ChunkBytes - 1)) != 0)
            throw Bad($"chunk size {spec.ChunkBytes}: must be a power of two from 4K to 512K");
        if (spec.Keep < 1) throw Bad($"keep {spec.Keep}: at least 1 snapshot per origin must be kept");
        if (spec.MaxAge is { } age && age <= TimeSpan.Zero) throw Bad($"max age {age}: must be above zero");

        return spec with { Name = name, Cron = cron, TimeZone = zone, Hosts = hosts, Volumes = volumes, Size = spec.Size.Trim() };
    }

    public static CronExpression ParseCron(string cron)
    {
        try { return CronExpression.Parse(cron, CronFormat.Standard); }
        catch (CronFormatException e) { throw Bad($"bad cron '{cron}': {e.Message}"); }
    }

    public static TimeZoneInfo FindTimeZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw Bad($"unknown time zone '{id}': expected an IANA id such as Europe/Berlin or UTC");
        }
    }

    private static FleetRequestException Bad(string message) => new(FleetRequestException.BadRequest, message);

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*/[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$")]
    private static partial Regex VolumePattern();
}
