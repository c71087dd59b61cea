using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>What a rollback or commit campaign takes from the snapshot campaign it acts on.</summary>
/// <param name="HostsWithSnapshot">Its hosts whose snapshot step succeeded, sorted.</param>
/// <param name="FailedWithSnapshot">Of those, the ones that failed later (the automatic rollback's hosts).</param>
public sealed record CampaignTargets(
    string Id, string Kind, string State, bool Ended, string Tag, IReadOnlyList<string> Volumes,
    IReadOnlyList<string> HostsWithSnapshot, IReadOnlyList<string> FailedWithSnapshot);

/// <summary>Turns a validated spec and its resolved hosts into the <see cref="CampaignPlan"/> the campaign runs.</summary>
public static class CampaignPlanner
{
    /// <summary>The steps each host runs, by campaign kind.</summary>
    public static IReadOnlyList<PlannedStep> StepsFor(CampaignSpec spec) => spec.Kind switch
    {
        CampaignKinds.Snapshot =>
        [
            new(StepKinds.Preflight, null),
            new(StepKinds.Snapshot, null),
            .. spec.Upgrade ? [new PlannedStep(StepKinds.Hook, HookNames.Upgrade)] : Array.Empty<PlannedStep>(),
            .. spec.Health ? [new PlannedStep(StepKinds.Hook, HookNames.Health)] : Array.Empty<PlannedStep>(),
        ],
        CampaignKinds.Rollback =>
        [
            new(StepKinds.MarkMerge, null),
            new(StepKinds.Reboot, null),
            new(StepKinds.AwaitMerge, null),
            new(StepKinds.Hook, HookNames.Health),
        ],
        CampaignKinds.Commit => [new(StepKinds.RemoveSnapshot, null)],
        _ => throw new FleetRequestException(FleetRequestException.BadRequest, $"kind '{spec.Kind}': expected {string.Join(", ", CampaignKinds.All)}"),
    };

    /// <summary>
    /// The plan of campaign <paramref name="id"/>. <paramref name="selected"/> is what the host
    /// selector resolved to (null when it was not resolved: "all" of a rollback or commit, which
    /// takes the hosts of <paramref name="of"/>).
    /// </summary>
    public static CampaignPlan Plan(string id, CampaignSpec spec, IReadOnlyList<string>? selected, IReadOnlyList<string> labelledCanary, CampaignTargets? of)
    {
        var valid = CampaignValidation.Validate(spec);
        IReadOnlyList<string> hosts;
        string tag;
        IReadOnlyList<string> volumes;
        if (spec.Kind == CampaignKinds.Snapshot)
        {
            hosts = selected ?? throw new ArgumentException("a snapshot campaign's hosts come from its selector", nameof(selected));
            if (hosts.Count == 0) throw Bad($"hosts '{spec.Hosts}': the selector matches no host");
            tag = id;
            volumes = spec.Volumes;
        }
        else
        {
            if (of is null) throw new ArgumentException($"a {spec.Kind} campaign needs the campaign it acts on", nameof(of));
            var selectedSet = selected?.ToHashSet(StringComparer.Ordinal);
            hosts = [.. of.HostsWithSnapshot.Where(h => selectedSet is null || selectedSet.Contains(h))];
            if (hosts.Count == 0)
                throw Bad(selectedSet is null
                    ? $"of {of.Id}: no host of campaign {of.Id} has its snapshot"
                    : $"hosts '{spec.Hosts}': the selector matches no host of campaign {of.Id} that has its snapshot");
            tag = of.Tag;
            volumes = of.Volumes;
        }
        int count = hosts.Distinct(StringComparer.Ordinal).Count();
        var waves = Waves.Split(hosts, labelledCanary, spec.Canary, Math.Max(1, valid.WaveSize.AtLeast(count)));
        return new CampaignPlan(id, spec, tag, volumes, StepsFor(spec), waves, valid.FailureBudget.AtMost(count));
    }

    private static FleetRequestException Bad(string message) => new(FleetRequestException.BadRequest, message);
}
