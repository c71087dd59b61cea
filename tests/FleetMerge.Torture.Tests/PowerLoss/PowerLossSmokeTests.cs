using FleetMerge.Torture.Harness;
using FleetMerge.Torture.PowerLoss;

namespace FleetMerge.Torture.Tests.PowerLoss;

/// <summary>Three trials of each power-loss scenario through the real harness.</summary>
public sealed class PowerLossSmokeTests
{
    private static async Task ThreeTrialsPass(IScenario scenario)
    {
        string dir = Directory.CreateTempSubdirectory("tpower-").FullName;
        try
        {
            var result = await new ScenarioRunner(dir, 20260101, 2).RunAsync(scenario, 0, 3, CancellationToken.None);
            Assert.True(result.Ok, $"{result.Line()} {result.SetUpError} {result.FirstFailure}");
            Assert.Equal(3, result.Trials);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public Task Power_loss_write_three_trials_pass() => ThreeTrialsPass(new PowerLossWriteScenario());

    [Fact]
    public Task Power_loss_merge_three_trials_pass() => ThreeTrialsPass(new PowerLossMergeScenario());
}
