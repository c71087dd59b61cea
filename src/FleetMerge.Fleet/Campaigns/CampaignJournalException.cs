namespace FleetMerge.Fleet.Campaigns;

/// <summary>A campaign's (or the campaign index's) journal could not record a decision; the actor stopped.</summary>
public sealed class CampaignJournalException(string message, Exception? inner = null) : Exception(message, inner);
