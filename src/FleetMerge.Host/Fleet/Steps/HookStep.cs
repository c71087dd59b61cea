using FleetMerge.Host.Fleet.Hooks;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>hook: the named hook from the host's own configuration (a step never carries a command).</summary>
public static class HookStep
{
    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        var step = context.Step;
        if (string.IsNullOrEmpty(step.Hook)) return StepOutcome.Failed("hook: the step names no hook");
        var agent = await context.AgentAsync();
        context.Waiting = $"running the {step.Hook} hook (killed)";
        return await context.Machine.Hooks.RunAsync(step.Hook, new HookContext(context.Machine.HostId, step.CampaignId, step.Key, agent.Catalog), context.Ct);
    }
}
