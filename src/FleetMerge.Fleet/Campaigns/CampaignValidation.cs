using System.Text.RegularExpressions;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>The numbers of a spec that passed <see cref="CampaignValidation.Validate"/>.</summary>
public sealed record ValidatedSpec(CountOrPercent WaveSize, CountOrPercent FailureBudget);

/// <summary>
/// Checks a <see cref="CampaignSpec"/> before anything is resolved or journaled. A refusal is a
/// bad-request <see cref="FleetRequestException"/> whose one line names the field. The host
/// selector's syntax is the registry's to check (it parses it when resolving).
/// </summary>
public static partial class CampaignValidation
{
    public const int MinChunkBytes = 4 * 1024;
    public const int MaxChunkBytes = 512 * 1024;

    [GeneratedRegex("^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*/[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$")]
    private static partial Regex VolumePattern();

    public static ValidatedSpec Validate(CampaignSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!CampaignKinds.All.Contains(spec.Kind))
            throw Bad($"kind '{spec.Kind}': expected {string.Join(", ", CampaignKinds.All)}");
        if (string.IsNullOrWhiteSpace(spec.Hosts))
            throw Bad("hosts: a host selector is required ('all' for every host)");
        var volumes = spec.Volumes ?? [];
        if (spec.Kind == CampaignKinds.Snapshot)
        {
            if (spec.Of is not null) throw Bad($"of '{spec.Of}': only rollback and commit campaigns act on another campaign");
            if (volumes.Count == 0) throw Bad("volumes: a snapshot campaign needs at least one origin as VG/LV");
            foreach (string volume in volumes)
                if (!VolumePattern().IsMatch(volume ?? "")) throw Bad($"volumes: '{volume}' is not VG/LV");
            if (volumes.Distinct(StringComparer.Ordinal).Count() != volumes.Count) throw Bad("volumes: an origin is listed twice");
            SnapshotSize.Parse(spec.Size);
            if (spec.ChunkBytes < MinChunkBytes || spec.ChunkBytes > MaxChunkBytes || (spec.ChunkBytes & (spec.ChunkBytes - 1)) != 0)
                throw Bad($"chunk size {spec.ChunkBytes}: expected a power of two from 4K (4096) to 512K (524288)");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(spec.Of))
                throw Bad($"of: a {spec.Kind} campaign needs the id of the snapshot campaign it acts on");
            if (volumes.Count > 0) throw Bad($"volumes: a {spec.Kind} campaign takes the volumes of campaign {spec.Of}; give none");
            if (spec.Upgrade) throw Bad("upgrade: only snapshot campaigns run the upgrade hook");
            if (spec.Health && spec.Kind == CampaignKinds.Commit) throw Bad("health: a commit campaign only removes snapshots; it runs no health hook");
        }
        if (spec.Canary < 0) throw Bad($"canary {spec.Canary}: expected 0 (no canary wave) or more hosts");
        if (spec.MaxInFlight < 0) throw Bad($"max in flight {spec.MaxInFlight}: expected 0 (the whole wave) or more hosts");
        var waveSize = CountOrPercent.Parse(spec.WaveSize, "wave size");
        if (waveSize.Percent is null ? waveSize.Count == 0 : waveSize.Percent == 0)
            throw Bad($"wave size '{spec.WaveSize}': a wave needs at least one host");
        var budget = CountOrPercent.Parse(spec.FailureBudget, "failure budget");
        if (spec.StepTimeout <= TimeSpan.Zero) throw Bad($"step timeout {spec.StepTimeout}: must be above zero");
        if (spec.Window is { } window)
        {
            MaintenanceWindow.TimeZone(window);
            if (window.Start == window.End) throw Bad($"window {window.Start:HH\\:mm}-{window.End:HH\\:mm}: start and end must differ");
        }
        return new ValidatedSpec(waveSize, budget);
    }

    private static FleetRequestException Bad(string message) => new(FleetRequestException.BadRequest, message);
}
