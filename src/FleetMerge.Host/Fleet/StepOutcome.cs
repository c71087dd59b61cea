namespace FleetMerge.Host.Fleet;

/// <summary>How a step ended on this host: ok or not, with one line for the operator.</summary>
public sealed record StepOutcome(bool Ok, string Detail)
{
    public static StepOutcome Done(string detail) => new(true, detail);

    public static StepOutcome Failed(string detail) => new(false, detail);
}
