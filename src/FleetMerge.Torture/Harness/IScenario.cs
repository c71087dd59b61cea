namespace FleetMerge.Torture.Harness;

/// <summary>How a scenario's default trial count is chosen: engine scenarios are cheap, cluster ones start real nodes.</summary>
public enum ScenarioScale
{
    /// <summary>1,000 trials by default.</summary>
    Engine,

    /// <summary>100 trials by default.</summary>
    Cluster,
}

/// <summary>
/// One torture scenario: many independent trials, each checked byte for byte against a model computed
/// independently of the code under test. Trials of one scenario may run in parallel (up to
/// <see cref="MaxParallel"/>), each in its own directory with its own seeded <see cref="Random"/>.
/// </summary>
public interface IScenario
{
    /// <summary>Short kebab-case name, as given to --only (e.g. cow-merge-kill).</summary>
    string Name { get; }

    /// <summary>One line: what a trial does and what it checks.</summary>
    string Description { get; }

    ScenarioScale Scale { get; }

    /// <summary>Trials that may run at once (1 for scenarios that own ports, a cluster or PostgreSQL).</summary>
    int MaxParallel { get; }

    /// <summary>Once before the first trial (start a shared cluster, build a template image); may be a no-op.</summary>
    Task SetUpAsync(ScenarioContext context, CancellationToken cancel);

    /// <summary>One trial. Throwing counts as a failure of the trial (not as data lost).</summary>
    Task<TrialOutcome> RunTrialAsync(TrialContext trial, CancellationToken cancel);

    /// <summary>Once after the last trial, also after failures; must not throw.</summary>
    Task TearDownAsync(ScenarioContext context);
}
