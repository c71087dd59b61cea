using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class CampaignIndexTests
{
    private static CampaignIndexEntry Entry(int n, string state = CampaignStates.Running, DateTimeOffset? ended = null) =>
        new(CampaignIndex.IdFor(n), n, CampaignKinds.Snapshot, state, "all", 3, 0, 0, 0, T0, ended, null, null, null);

    [Fact]
    public void Ids_come_in_sequence_and_closing_replaces_the_summary()
    {
        var index = CampaignIndex.Empty;
        Assert.Equal("c1", CampaignIndex.IdFor(CampaignIndex.NextNumber(index)));
        index = CampaignIndex.Apply(index, new CampaignOpened(Entry(1), "op"));
        index = CampaignIndex.Apply(index, new CampaignOpened(Entry(2), "op"));
        Assert.Equal("c3", CampaignIndex.IdFor(CampaignIndex.NextNumber(index)));
        index = CampaignIndex.Apply(index, new CampaignClosed(Entry(1, CampaignStates.Completed, T0) with { Succeeded = 3, FollowUp = "c2" }));
        Assert.Equal(["c2"], CampaignIndex.Open(index).Select(e => e.Id));
        Assert.Equal((CampaignStates.Completed, 3, "c2"), (CampaignIndex.Find(index, "c1")!.State, CampaignIndex.Find(index, "c1")!.Succeeded, CampaignIndex.Find(index, "c1")!.FollowUp));
        Assert.Null(CampaignIndex.Find(index, "c9"));
    }
}
