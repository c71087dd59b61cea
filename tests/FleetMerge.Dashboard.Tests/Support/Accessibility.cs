using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>axe-core on the page as it is now: no serious or critical finding; the rest is printed.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousFindingsAsync(IPage page, string view, ITestOutputHelper output)
    {
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        var serious = new List<string>();
        foreach (var violation in result.Violations)
        {
            string line = $"axe {view}: {violation.Impact} {violation.Id}: {violation.Help} ({violation.Nodes.Length} nodes: " +
                string.Join("; ", violation.Nodes.Take(3).Select(n => n.Target.ToString())) + ")";
            output.WriteLine(line);
            if (violation.Impact is "serious" or "critical") serious.Add(line);
        }
        output.WriteLine($"axe {view}: {result.Violations.Length} findings, {result.Passes?.Length ?? 0} rules passed");
        Assert.True(serious.Count == 0, $"axe found serious or critical problems on {view}:\n{string.Join('\n', serious)}");
    }
}
