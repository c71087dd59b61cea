using FleetMerge.Torture.Cli;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Tests.Cli;

/// <summary>A few trials of each CLI scenario through the real harness and the real `fleetmerge` (Release build).</summary>
public sealed class SmokeTests
{
    private static async Task<ScenarioResult> Trials(IScenario scenario, int count)
    {
        string dir = Directory.CreateTempSubdirectory("tcli-smoke-").FullName;
        var result = await new ScenarioRunner(dir, 20261126, 2).RunAsync(scenario, 0, count, CancellationToken.None);
        if (result.Ok) Directory.Delete(dir, recursive: true);
        return result;
    }

    private static void Passed(ScenarioResult r, int count)
    {
        Assert.True(r.SetUpError is null, $"set-up failed: {r.SetUpError}");
        Assert.True(r.Failures == 0, $"{r.Failures} failures; first: {r.FirstFailure}");
        Assert.Equal(count, r.Trials);
    }

    [Fact]
    public async Task Cow_write_kill_trials_pass() => Passed(await Trials(new CowWriteKillScenario(), 3), 3);

    [Fact]
    public async Task Cow_merge_kill_trials_pass() => Passed(await Trials(new CowMergeKillScenario(), 2), 2);

    [Fact]
    public async Task Disk_full_write_trials_pass() => Passed(await Trials(new DiskFullWriteScenario(), 3), 3);

    [Fact]
    public async Task Disk_full_merge_trials_pass() => Passed(await Trials(new DiskFullMergeScenario(), 3), 3);
}
