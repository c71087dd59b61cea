using System.Globalization;

namespace FleetMerge.Fleet.Campaigns;

/// <summary>
/// The coordinator's list of campaigns (pure): ids are handed out in sequence (c1, c2, …); an
/// open campaign has its actor running, a closed one has its final summary here.
/// </summary>
public static class CampaignIndex
{
    public static CampaignIndexState Empty { get; } = new(0, []);

    public static string IdFor(int number) => "c" + number.ToString(CultureInfo.InvariantCulture);

    public static int NextNumber(CampaignIndexState index) => index.LastNumber + 1;

    public static CampaignIndexState Apply(CampaignIndexState index, ICampaignIndexEvent e) => e switch
    {
        CampaignOpened o => new CampaignIndexState(Math.Max(index.LastNumber, o.Entry.Number), [.. index.Campaigns.Where(c => c.Id != o.Entry.Id), o.Entry]),
        // The campaign's own summary does not know the request key it was opened with: keep it.
        CampaignClosed c => index with { Campaigns = [.. index.Campaigns.Select(x => x.Id == c.Entry.Id ? c.Entry with { RequestKey = c.Entry.RequestKey ?? x.RequestKey } : x)] },
        _ => throw new ArgumentException($"unknown campaign index event {e.GetType().Name}", nameof(e)),
    };

    public static CampaignIndexEntry? Find(CampaignIndexState index, string id) => index.Campaigns.FirstOrDefault(c => c.Id == id);

    /// <summary>The campaign opened for an idempotent start's key, if any.</summary>
    public static CampaignIndexEntry? FindByRequestKey(CampaignIndexState index, string? key) =>
        key is null ? null : index.Campaigns.FirstOrDefault(c => c.RequestKey == key);

    public static bool IsOpen(CampaignIndexEntry entry) => entry.EndedAt is null;

    public static IEnumerable<CampaignIndexEntry> Open(CampaignIndexState index) => index.Campaigns.Where(IsOpen);
}
