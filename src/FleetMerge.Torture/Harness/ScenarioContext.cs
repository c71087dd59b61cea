namespace FleetMerge.Torture.Harness;

/// <summary>What a scenario's set-up and tear-down get: its own directory and its seed.</summary>
public sealed record ScenarioContext(string Dir, int Seed, Action<string> Progress);
