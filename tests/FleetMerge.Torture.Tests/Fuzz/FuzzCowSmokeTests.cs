using FleetMerge.Torture.Fuzz;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Tests.Fuzz;

/// <summary>Three fuzz-cow trials through the real harness and the real CLI (built in Release).</summary>
public sealed class FuzzCowSmokeTests
{
    [Fact]
    public async Task Three_trials_pass()
    {
        string dir = Directory.CreateTempSubdirectory("tpower-fuzz-").FullName;
        try
        {
            var result = await new ScenarioRunner(dir, 20260101, 2).RunAsync(new FuzzCowScenario(), 0, 3, CancellationToken.None);
            Assert.True(result.Ok, $"{result.Line()} {result.SetUpError} {result.FirstFailure}");
            Assert.Equal(3, result.Trials);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
