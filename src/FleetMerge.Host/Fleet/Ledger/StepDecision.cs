namespace FleetMerge.Host.Fleet.Ledger;

public enum StepAction
{
    /// <summary>The step is for another host: answer HostStepRefused.</summary>
    Refuse,
    /// <summary>Finished before: answer the recorded result (Replayed), run nothing.</summary>
    Replay,
    /// <summary>Running now: answer this asker too when it ends.</summary>
    Join,
    /// <summary>New: record it as accepted, then run it.</summary>
    Run,
    /// <summary>Accepted before a restart and never finished, and safe to repeat: run it again.</summary>
    Rerun,
    /// <summary>Accepted before a restart and never finished, not safe to repeat: record <see cref="StepDecision.Outcome"/> and answer it.</summary>
    Finish,
}

/// <summary>What the host does with a step it is sent (see <see cref="StepDecisions.Decide"/>).</summary>
public sealed record StepDecision(StepAction Action, FinishedStep? Recorded = null, StepOutcome? Outcome = null, string? Reason = null);
