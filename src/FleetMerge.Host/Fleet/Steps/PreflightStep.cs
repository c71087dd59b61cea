namespace FleetMerge.Host.Fleet.Steps;

/// <summary>preflight: <see cref="PreflightCheck"/> over the agent's lvs rows and the host's free space.</summary>
public static class PreflightStep
{
    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        var agent = await context.AgentAsync();
        return PreflightCheck.Run(context.Step, agent.Catalog.Lvs(null), context.Machine.FreeBytes(agent.Catalog));
    }
}
