using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>The fleet's hosts as the coordinator's registry sees them: GET /api/v1/hosts[?selector=S], GET /api/v1/hosts/{id}.</summary>
public static class HostEndpoints
{
    public static RouteGroupBuilder MapHostEndpoints(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts");
        hosts.MapGet("", async (string? selector, FleetApi fleet, CancellationToken ct) =>
            (await fleet.AskAsync<HostList>(new ListHosts(string.IsNullOrWhiteSpace(selector) ? null : selector), ct)).Hosts);
        hosts.MapGet("/{id}", (string id, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<HostView>(new GetHost(id), ct));
        return api;
    }
}
