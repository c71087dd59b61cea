using System.Globalization;
using FleetMerge.Host.Fleet.Hooks;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// reboot. A simulated host restarts its owned agent: the new agent loads the groups from disk and
/// the volume actors from their journal, and the activation starts the merges marked onactivate;
/// ok with the new incarnation. A real host runs its reboot hook and then waits: the host going
/// down ends this run, and its next start answers the step ("host restarted", see StepDecisions).
/// </summary>
public static class RebootStep
{
    private static readonly TimeSpan ProgressPoll = TimeSpan.FromMilliseconds(20);

    public static async Task<StepOutcome> RunAsync(StepContext context)
    {
        var machine = context.Machine;
        if (!machine.Simulated) return await RealAsync(context);

        await context.AgentAsync(); // a reboot restarts a host that is up, not one still starting
        context.Waiting = "restarting the host agent";
        long incarnation = await machine.RestartOwnedAgentAsync("reboot step", context.Ct);
        if (!machine.TakeCrashMidMerge()) return StepOutcome.Done($"rebooted (incarnation {incarnation})");

        context.Waiting = "waiting for the merge to make progress before the injected crash (crash-mid-merge)";
        string where = await MergeProgressAsync(context);
        incarnation = await machine.RestartOwnedAgentAsync("crash-mid-merge", context.Ct);
        return StepOutcome.Done($"rebooted (incarnation {incarnation}); the host agent was stopped abruptly {where} and started again (crash-mid-merge)");
    }

    private static async Task<StepOutcome> RealAsync(StepContext context)
    {
        var agent = await context.AgentAsync();
        context.Waiting = "running the reboot hook (killed)";
        var hook = await context.Machine.Hooks.RunAsync(HookNames.Reboot, new HookContext(context.Machine.HostId, context.Step.CampaignId, context.Step.Key, agent.Catalog), context.Ct);
        if (!hook.Ok) return hook;
        context.Waiting = "waiting for the host to go down and come back (the reboot hook exited 0)";
        await Task.Delay(Timeout.Infinite, context.Ct);
        return StepOutcome.Failed("unreachable");
    }

    /// <summary>Waits until a merge on the host has copied something (Merge% above 0), or none is running any more.</summary>
    private static async Task<string> MergeProgressAsync(StepContext context)
    {
        while (true)
        {
            var rows = await context.RowsAsync();
            var merging = rows.Where(r => r.Attr[0] == 'O').ToList();
            if (merging.Count == 0) return "with no merge running";
            if (merging.FirstOrDefault(r => r.MergePercent > 0) is { } row)
                return string.Create(CultureInfo.InvariantCulture, $"while {row.Vg}/{row.Name} was merging ({row.MergePercent:0.##}%)");
            await Task.Delay(ProgressPoll, context.Ct);
        }
    }
}
