using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>The <see cref="HostStep"/> a plan sends a host, and its idempotency key.</summary>
public static class CampaignSteps
{
    /// <summary>
    /// A step is sent under one attempt: resends and resumed campaigns reuse its key so the host
    /// runs it once. A later "retry this host" would send the step again under attempt 2.
    /// </summary>
    public const int FirstAttempt = 1;

    /// <summary>"c7/sim-0003/2-hook/1": campaign, host, step index and kind, attempt.</summary>
    public static string Key(CampaignPlan plan, string hostId, int stepIndex, int attempt = FirstAttempt) =>
        $"{plan.Id}/{hostId}/{stepIndex}-{plan.Steps[stepIndex].Kind}/{attempt}";

    public static HostStep For(CampaignPlan plan, string hostId, int stepIndex, string key)
    {
        var step = plan.Steps[stepIndex];
        var spec = plan.Spec;
        bool snapshot = step.Kind == StepKinds.Snapshot || step.Kind == StepKinds.Preflight;
        return new HostStep(
            key, plan.Id, hostId, step.Kind, plan.Volumes, plan.Tag,
            snapshot ? spec.Size : null,
            snapshot ? spec.ChunkBytes : 0,
            step.Hook,
            [],
            spec.StepTimeout);
    }

    /// <summary>The step a host runs, e.g. "hook upgrade".</summary>
    public static string Name(CampaignPlan plan, int stepIndex) => plan.Steps[stepIndex].ToString();
}
