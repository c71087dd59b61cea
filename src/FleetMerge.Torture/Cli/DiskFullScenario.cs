using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// A scenario on a small tmpfs per trial: set-up checks that a tmpfs can be mounted at all (one clear line if
/// not), tear-down unmounts what an interrupted trial left and prints where the trials' ENOSPC landed.
/// </summary>
public abstract class DiskFullScenario : InProcessScenario
{
    /// <summary>One line for the tear-down: how the trials split (failed on the full disk, fitted, …).</summary>
    protected abstract string Tally { get; }

    public override Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        using (Tmpfs.Mount(Path.Combine(context.Dir, "mount-check"), 64)) { }
        return Task.CompletedTask;
    }

    public override Task TearDownAsync(ScenarioContext context)
    {
        Tmpfs.UnmountAllUnder(context.Dir); // a trial interrupted before its own unmount
        context.Progress(Tally);
        return Task.CompletedTask;
    }
}
