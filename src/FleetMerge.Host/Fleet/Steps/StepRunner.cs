using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>
/// Runs one step to its outcome: the simulated slowness first, then the step's kind, all bounded
/// by the step's timeout ("timed out after …", with what it was waiting for). Any error becomes a
/// failed outcome with its message; only the actor stopping cancels without an outcome.
/// </summary>
public static class StepRunner
{
    public static async Task<StepOutcome> RunAsync(HostStep step, HostMachine machine, TimeSpan pollInterval, CancellationToken stopping)
    {
        if (step.Timeout <= TimeSpan.Zero) return StepOutcome.Failed($"{step.Kind}: the step's timeout must be positive (got {step.Timeout})");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(step.Timeout);
        var context = new StepContext(step, machine, pollInterval, limit.Token);
        try
        {
            if (machine.Faults.Slow > TimeSpan.Zero)
            {
                context.Waiting = $"waiting out the simulated slowness ({Durations.Format(machine.Faults.Slow)})";
                await Task.Delay(machine.Faults.Slow, limit.Token);
                context.Waiting = null;
            }
            return step.Kind switch
            {
                StepKinds.Preflight => await PreflightStep.RunAsync(context),
                StepKinds.Snapshot => await SnapshotStep.RunAsync(context),
                StepKinds.Hook => await HookStep.RunAsync(context),
                StepKinds.MarkMerge => await MarkMergeStep.RunAsync(context),
                StepKinds.Reboot => await RebootStep.RunAsync(context),
                StepKinds.AwaitMerge => await AwaitMergeStep.RunAsync(context),
                StepKinds.RemoveSnapshot => await RemoveSnapshotStep.RunAsync(context),
                _ => StepOutcome.Failed($"unknown step kind '{step.Kind}' (known: {string.Join(", ", StepKinds.All)})"),
            };
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && limit.IsCancellationRequested)
        {
            string doing = context.Waiting is { } w ? $" while {w}" : "";
            return StepOutcome.Failed($"{step.Kind}: timed out after {Durations.Format(step.Timeout)}{doing}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return StepOutcome.Failed($"{step.Kind}: {e.Message}");
        }
    }
}
