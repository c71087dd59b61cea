using FleetMerge.Torture.Fleet;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Tests.Fleet;

/// <summary>
/// One trial of each fleet scenario through the real harness (real node processes, real PostgreSQL:
/// ops/postgres.sh's server for campaign-kill, a private one for journal-restart); it must pass.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FleetScenarioSmokeTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"fleetmerge-torture-fleet-{Guid.NewGuid():N}");

    [Fact]
    public Task One_campaign_kill_trial_passes() => RunOneAsync(new CampaignKillScenario());

    [Fact]
    public Task One_journal_restart_trial_passes() => RunOneAsync(new JournalRestartScenario());

    private async Task RunOneAsync(IScenario scenario)
    {
        var runner = new ScenarioRunner(dir, runSeed: 11, jobs: 1);
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await runner.RunAsync(scenario, first: 0, count: 1, hang.Token);
        Assert.True(result.Ok, $"{result.Line()} {result.SetUpError} {result.FirstFailure}");
        Assert.Equal(1, result.Trials);
        Assert.Equal(0, result.DataLost);
    }

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
