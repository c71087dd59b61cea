using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet.Ledger;

/// <summary>
/// Idempotency by step key (pure). A key is run at most once per outcome: finished keys are
/// answered from the ledger, running keys collect their askers, and a key whose run was cut short
/// by a restart of the host (accepted, never finished) is run again when that is harmless, or
/// answered with what the restart means for it.
/// </summary>
public static class StepDecisions
{
    /// <summary>Steps that check or converge to a state ("make it so"): running one twice changes nothing.</summary>
    public static bool IsIdempotent(string kind) =>
        kind is StepKinds.Preflight or StepKinds.Snapshot or StepKinds.MarkMerge or StepKinds.AwaitMerge or StepKinds.RemoveSnapshot;

    public static StepDecision Decide(HostStep step, string hostId, HostStepLedger ledger, bool running)
    {
        if (!string.Equals(step.HostId, hostId, StringComparison.Ordinal))
            return new StepDecision(StepAction.Refuse, Reason: $"this is the agent of host {hostId}, not of {step.HostId}");
        if (ledger.FinishedOf(step.Key) is { } recorded) return new StepDecision(StepAction.Replay, recorded);
        if (running) return new StepDecision(StepAction.Join);
        if (ledger.Open.TryGetValue(step.Key, out var open))
        {
            return Interrupted(open, ledger.Incarnation) is { } outcome
                ? new StepDecision(StepAction.Finish, Outcome: outcome)
                : new StepDecision(StepAction.Rerun);
        }
        return new StepDecision(StepAction.Run);
    }

    /// <summary>
    /// The result of a step cut short by a restart of the host, or null when it simply runs again.
    /// A hook may have done part of its work: only the operator can tell, so it fails. A reboot that
    /// was under way has happened: the host is back, as a new incarnation.
    /// </summary>
    public static StepOutcome? Interrupted(OpenStep open, long incarnation) => open.Kind switch
    {
        StepKinds.Hook => StepOutcome.Failed("interrupted by a host restart"),
        StepKinds.Reboot => StepOutcome.Done($"host restarted (incarnation {incarnation})"),
        _ when IsIdempotent(open.Kind) => null,
        _ => StepOutcome.Failed($"interrupted by a host restart (unknown step kind '{open.Kind}')"),
    };
}
