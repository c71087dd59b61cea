using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>
/// Campaigns (see API.md): POST/GET /api/v1/campaigns, GET /api/v1/campaigns/{id} and its
/// server-sent events, POST /api/v1/campaigns/{id}/pause|resume|abort.
/// </summary>
public static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaignEndpoints(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns");
        campaigns.MapPost("", async (CampaignRequest request, HttpContext http, FleetApi fleet, CancellationToken ct) =>
        {
            var accepted = await fleet.AskAsync<CampaignAccepted>(new StartCampaign(request.ToSpec(), RequestedBy(http)), ct);
            return TypedResults.Created($"{NodeApi.Prefix}/campaigns/{Uri.EscapeDataString(accepted.Id)}", accepted);
        });
        campaigns.MapGet("", async (FleetApi fleet, CancellationToken ct) =>
            NewestFirst((await fleet.AskAsync<CampaignList>(ListCampaigns.Instance, ct)).Campaigns));
        campaigns.MapGet("/{id}", (string id, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<CampaignView>(new GetCampaign(id), ct));
        campaigns.MapGet("/{id}/events", (HttpContext http, string id, FleetApi fleet) =>
            ServerSentEvents.StreamAsync(http, ct => fleet.AskAsync<CampaignView>(new GetCampaign(id), ct), IsOver));
        campaigns.MapPost("/{id}/pause", (string id, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<CampaignView>(new PauseCampaign(id), ct));
        campaigns.MapPost("/{id}/resume", (string id, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<CampaignView>(new ResumeCampaign(id), ct));
        campaigns.MapPost("/{id}/abort", (string id, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<CampaignView>(new AbortCampaign(id), ct));
        return api;
    }

    /// <summary>
    /// The list as API.md promises it, newest first (the coordinator keeps its index oldest first).
    /// Ids are the coordinator's sequence (c7, c12): by length, then by text, is by number, and
    /// does not depend on clocks.
    /// </summary>
    public static IReadOnlyList<CampaignSummary> NewestFirst(IReadOnlyList<CampaignSummary> campaigns) =>
        [.. campaigns.OrderByDescending(c => c.Id.Length).ThenByDescending(c => c.Id, StringComparer.Ordinal)];

    /// <summary>A campaign is over when it has ended and no host is still working on a step.</summary>
    public static bool IsOver(CampaignView campaign) =>
        campaign.State is CampaignStates.Completed or CampaignStates.Aborted or CampaignStates.Failed
        && campaign.Hosts.All(h => h.Outcome != HostOutcomes.Running);

    /// <summary>Who started it, for the campaign's timeline: the API caller's address (every caller has the same token).</summary>
    private static string RequestedBy(HttpContext http) => $"api {http.Connection.RemoteIpAddress}";
}
