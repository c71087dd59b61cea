namespace FleetMerge.Torture.Harness;

/// <summary>
/// What one trial found. <see cref="DataLost"/> is for the failures that matter most: bytes that differ
/// from the model (an acknowledged write gone, a wrong merge result, a modified input). Every data loss
/// is also a failure; a failure without data loss is e.g. a crash, a hang, a wrong error or exit code.
/// </summary>
public sealed record TrialOutcome(bool Failed, bool DataLost, string? Message)
{
    public static TrialOutcome Passed { get; } = new(false, false, null);

    public static TrialOutcome Failure(string message) => new(true, false, message);

    public static TrialOutcome Lost(string message) => new(true, true, message);
}
