using FleetMerge.Torture.Harness;
using FleetMerge.Torture.Node;

namespace FleetMerge.Torture.Tests.Node;

/// <summary>Two node-merge-kill trials through the real harness: a real node SIGKILLed around a merge and restarted.</summary>
public class NodeMergeKillSmokeTests
{
    [Fact]
    public async Task Two_trials_pass()
    {
        string dir = Directory.CreateTempSubdirectory("tnode-smoke-").FullName;
        try
        {
            var result = await new ScenarioRunner(dir, runSeed: 7, jobs: 1).RunAsync(new NodeMergeKillScenario(), 0, 2, CancellationToken.None);
            Assert.True(result.Ok, $"{result.Line()} {result.SetUpError} {result.FirstFailure}");
            Assert.Equal(2, result.Trials);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
