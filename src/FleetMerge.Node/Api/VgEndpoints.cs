using FleetMerge.Protocol.Host;

namespace FleetMerge.Node.Api;

/// <summary>Volume groups: GET/POST /api/v1/vgs, POST /api/v1/vgs/{vg}/activate|deactivate (see API.md).</summary>
public static class VgEndpoints
{
    public sealed record CreateVgRequest(string Name);

    public sealed record EmptyResponse;

    public static RouteGroupBuilder MapVgEndpoints(this RouteGroupBuilder api)
    {
        var vgs = api.MapGroup("/vgs");
        vgs.MapGet("", async (HostApi host, CancellationToken ct) => (await host.AskAsync<VgList>(ListVgs.Instance, ct)).Vgs);
        vgs.MapPost("", async (CreateVgRequest request, HostApi host, CancellationToken ct) =>
        {
            var vg = await host.AskAsync<VgInfo>(new CreateVg(request.Name), ct);
            return TypedResults.Created($"{NodeApi.Prefix}/vgs/{Uri.EscapeDataString(vg.Name)}", vg);
        });
        vgs.MapPost("/{vg}/activate", (string vg, HostApi host, CancellationToken ct) => host.AskAsync<VgActivated>(new ActivateVg(vg), ct));
        vgs.MapPost("/{vg}/deactivate", async (string vg, HostApi host, CancellationToken ct) =>
        {
            await host.AskAsync<VgDeactivated>(new DeactivateVg(vg), ct);
            return new EmptyResponse();
        });
        return api;
    }
}
