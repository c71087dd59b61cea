using FleetMerge.Torture.Api;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Tests.Api;

/// <summary>Three api-abuse trials through the real harness, against one real node.</summary>
public class ApiAbuseSmokeTests
{
    [Fact]
    public async Task Three_trials_pass()
    {
        string dir = Directory.CreateTempSubdirectory("tapi-smoke-").FullName;
        try
        {
            var result = await new ScenarioRunner(dir, runSeed: 7, jobs: 1).RunAsync(new ApiAbuseScenario(), 0, 3, CancellationToken.None);
            Assert.True(result.Ok, $"{result.Line()} {result.SetUpError} {result.FirstFailure}");
            Assert.Equal(3, result.Trials);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
