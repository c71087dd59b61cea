namespace FleetMerge.Torture.Harness;

/// <summary>
/// An engine scenario whose trials need nothing shared: 1,000 trials by default, as many at once as there
/// are CPUs, no set-up or tear-down, each trial run synchronously on the thread pool.
/// </summary>
public abstract class InProcessScenario : IScenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public ScenarioScale Scale => ScenarioScale.Engine;

    public int MaxParallel => Environment.ProcessorCount;

    public Task SetUpAsync(ScenarioContext context, CancellationToken cancel) => Task.CompletedTask;

    public Task TearDownAsync(ScenarioContext context) => Task.CompletedTask;

    public Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel) => Task.Run(() => Run(trial), cancel);

    /// <summary>One trial, start to verdict.</summary>
    protected abstract TrialOutcome Run(TrialContext trial);
}
