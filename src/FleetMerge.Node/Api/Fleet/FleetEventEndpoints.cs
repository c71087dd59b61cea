using Akka.Actor;
using FleetMerge.Node.Startup;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>
/// Server-sent events for the dashboard's live views (read-only; see src/FleetMerge.Node/Dashboard/README.md):
/// GET /api/v1/events/hosts[?selector=S], /api/v1/events/campaigns, /api/v1/events/policies (the
/// lists as GET /hosts, /campaigns and /policies answer them) and GET /api/v1/hosts/{id}/events
/// (<see cref="HostLive"/>). One <c>data:</c> event per change and at least one a second, until the
/// client goes away or the node stops.
/// </summary>
public static class FleetEventEndpoints
{
    public static RouteGroupBuilder MapFleetEventEndpoints(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events");
        events.MapGet("/hosts", (HttpContext http, string? selector, FleetApi fleet, IHostApplicationLifetime lifetime) =>
            Endless(http, lifetime, async ct =>
                (await fleet.AskAsync<HostList>(new ListHosts(string.IsNullOrWhiteSpace(selector) ? null : selector), ct)).Hosts));
        events.MapGet("/campaigns", (HttpContext http, FleetApi fleet, IHostApplicationLifetime lifetime) =>
            Endless(http, lifetime, async ct =>
                CampaignEndpoints.NewestFirst((await fleet.AskAsync<CampaignList>(ListCampaigns.Instance, ct)).Campaigns)));
        events.MapGet("/policies", (HttpContext http, FleetApi fleet, IHostApplicationLifetime lifetime) =>
            Endless(http, lifetime, async ct => (await fleet.AskAsync<PolicyList>(ListPolicies.Instance, ct)).Policies));

        api.MapGet("/hosts/{id}/events", (HttpContext http, string id, FleetApi fleet, ActorSystem system, NodeRuntime runtime, IHostApplicationLifetime lifetime) =>
        {
            var merges = new LocalHostMerges(system, runtime, id);
            return Endless(http, lifetime, async ct =>
            {
                var host = await fleet.AskAsync<HostView>(new GetHost(id), ct);
                bool here = merges.RunsHere(host);
                return new HostLive(host, here, here ? await merges.PollAsync(host, ct) : []);
            });
        });
        return api;
    }

    /// <summary>
    /// A stream with no natural end. It ends when the node begins to stop, so an open dashboard
    /// does not hold the shutdown for the host's whole timeout; the page reconnects. A poll in
    /// flight then is cancelled too: the coordinator may already be gone (Akka's coordinated
    /// shutdown runs first), and its ask would otherwise wait for its whole timeout.
    /// </summary>
    private static Task Endless<T>(HttpContext http, IHostApplicationLifetime lifetime, Func<CancellationToken, Task<T>> poll)
    {
        var stopping = lifetime.ApplicationStopping;
        T? latest = default;
        return ServerSentEvents.StreamAsync(http, async ct =>
        {
            if (stopping.IsCancellationRequested && latest is not null) return latest;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
            try
            {
                return latest = await poll(either.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !ct.IsCancellationRequested && latest is not null)
            {
                return latest;
            }
        }, _ => stopping.IsCancellationRequested);
    }
}
