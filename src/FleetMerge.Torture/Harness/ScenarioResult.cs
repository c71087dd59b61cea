namespace FleetMerge.Torture.Harness;

/// <summary>One scenario's totals: the line ops/torture.sh prints for it.</summary>
public sealed record ScenarioResult(string Name, int Trials, int Failures, int DataLost, int RunSeed, TimeSpan Elapsed)
{
    /// <summary>The first failing trial (number, message, kept directory), if any.</summary>
    public (int Trial, string Message, string Dir)? FirstFailure { get; init; }

    /// <summary>Set-up failed: no trial ran.</summary>
    public string? SetUpError { get; init; }

    public bool Ok => Failures == 0 && SetUpError is null;

    public string Line() =>
        $"{Name,-22} trials {Trials,5}  failures {Failures,3}  data lost {DataLost,3}  seed {RunSeed}  ({Elapsed.TotalSeconds:F0} s)";
}
