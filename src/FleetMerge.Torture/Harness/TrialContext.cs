namespace FleetMerge.Torture.Harness;

/// <summary>
/// One trial: its number, its seed (derived from the run's seed, the scenario's name and the number, so
/// <c>--seed S --only NAME --trial N</c> replays it), a <see cref="Random"/> seeded with it, and a fresh
/// directory that is removed when the trial passes and kept when it fails. <see cref="Log"/> appends to
/// DIR/log, which is kept with a failing trial.
/// </summary>
public sealed class TrialContext(int number, int seed, string dir, ScenarioContext scenario)
{
    public int Number { get; } = number;

    public int Seed { get; } = seed;

    public Random Random { get; } = new(seed);

    public string Dir { get; } = dir;

    public ScenarioContext Scenario { get; } = scenario;

    public void Log(string line) => File.AppendAllText(Path.Combine(Dir, "log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
}
