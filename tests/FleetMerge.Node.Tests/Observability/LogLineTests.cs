using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// The node's stderr after the campaigns of <see cref="CampaignNode"/>: every line about a step names
/// its host and campaign as host=… campaign=…, every line about a volume names host=… vg=… lv=…,
/// and every line about a campaign names campaign=….
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class LogLineTests(CampaignNode node, ITestOutputHelper output)
{
    [Fact]
    public void Every_step_of_every_host_is_logged_with_its_host_and_campaign()
    {
        var lines = node.E2e.Node.Stderr;
        foreach (string campaign in new[] { node.Snapshot, node.Rollback })
        {
            foreach (string host in CampaignNode.SimHosts)
            {
                var about = lines.Where(l => l.Contains($"host={host} campaign={campaign}: step {campaign}/{host}/", StringComparison.Ordinal)).ToList();
                output.WriteLine($"{campaign} {host}:\n  {string.Join("\n  ", about)}");
                // Four steps per host in each campaign, each logged when it starts and when it ends.
                Assert.Equal(4, about.Count(l => l.EndsWith(") started", StringComparison.Ordinal)));
                Assert.Equal(4, about.Count(l => l.Contains(") ok: ", StringComparison.Ordinal) || l.Contains(") failed: ", StringComparison.Ordinal)));
            }
        }
        Assert.Contains(lines, l => l.Contains($"host={CampaignNode.Broken} campaign={node.Snapshot}: step {node.Snapshot}/{CampaignNode.Broken}/3-hook/1 (hook) failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Campaign_and_volume_lines_carry_their_ids()
    {
        var lines = node.E2e.Node.Stderr;
        Assert.Contains(lines, l => l.Contains($"campaign={node.Snapshot}: created by ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"campaign={node.Snapshot}: ended completed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"campaign={node.Rollback}: ended completed", StringComparison.Ordinal));
        foreach (string host in CampaignNode.SimHosts)
        {
            string snapshot = $"root-{node.Snapshot}";
            Assert.Contains(lines, l => l.Contains($"host={host}: registered with the host registry", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"host={host} vg=vg0 lv=root snapshot={snapshot}: snapshot taken", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"host={host} vg=vg0 lv=root snapshot={snapshot}: merge complete", StringComparison.Ordinal));
        }
    }
}
