using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>The hooks of a real host: commands from DATA_DIR/hooks.json, run by <see cref="HookRunner"/>.</summary>
public sealed class ProcessHooks(string dataDirectory) : IHostHooks
{
    public async Task<StepOutcome> RunAsync(string name, HookContext context, CancellationToken ct)
    {
        HookConfig config;
        try { config = HookConfig.Load(dataDirectory); }
        catch (HookConfigException e) { return StepOutcome.Failed(e.Message); }
        if (config.Find(name) is not { } hook) return StepOutcome.Failed($"no {name} hook configured in {config.Path}");

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (hook.Timeout is { } own) limit.CancelAfter(own);
        var environment = new Dictionary<string, string>
        {
            ["FLEETMERGE_HOST_ID"] = context.HostId,
            ["FLEETMERGE_CAMPAIGN"] = context.CampaignId,
            ["FLEETMERGE_STEP_KEY"] = context.StepKey,
        };
        HookResult result;
        try
        {
            result = await HookRunner.RunAsync(name, hook.Command, environment, Path.GetFullPath(dataDirectory), limit.Token);
        }
        catch (HookConfigException e) { return StepOutcome.Failed(e.Message); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return StepOutcome.Failed($"{name} hook timed out after {Durations.Format(hook.Timeout!.Value)} (its timeout in {config.Path}); killed");
        }
        string last = result.LastLine is null ? "" : $": {result.LastLine}";
        return result.ExitCode == 0
            ? StepOutcome.Done($"{name} hook ok{last}")
            : StepOutcome.Failed($"{name} hook failed (exit {result.ExitCode}){last}");
    }
}
