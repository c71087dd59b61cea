namespace FleetMerge.Torture.Harness;

/// <summary>
/// An engine scenario whose trials run synchronously on the thread pool: 1,000 trials by default, as many at
/// once as there are CPUs, no set-up or tear-down unless a scenario adds them.
/// </summary>
public abstract class InProcessScenario : IScenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public ScenarioScale Scale => ScenarioScale.Engine;

    public int MaxParallel => Environment.ProcessorCount;

    public virtual Task SetUpAsync(ScenarioContext context, CancellationToken cancel) => Task.CompletedTask;

    public virtual Task TearDownAsync(ScenarioContext context) => Task.CompletedTask;

    public Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel) => Task.Run(() => Run(trial), cancel);

    /// <summary>One trial, start to verdict.</summary>
    protected abstract TrialOutcome Run(TrialContext trial);
}
