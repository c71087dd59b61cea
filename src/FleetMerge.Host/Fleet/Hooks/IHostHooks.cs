namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>What a hook step runs: the host's configured commands (a real host) or built-in hooks (a simulated one).</summary>
public interface IHostHooks
{
    /// <summary>Runs hook <paramref name="name"/>; cancelling <paramref name="ct"/> stops it (a process is killed with its children).</summary>
    Task<StepOutcome> RunAsync(string name, HookContext context, CancellationToken ct);
}

/// <summary>Who runs a hook and on what: the host, the campaign (hooks get both in their environment), the agent's current catalog.</summary>
public sealed record HookContext(string HostId, string CampaignId, string StepKey, HostCatalog Catalog);
