using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>Scheduled snapshot policies (see API.md): POST/GET /api/v1/policies, GET/DELETE /api/v1/policies/{name}, POST /api/v1/policies/{name}/run.</summary>
public static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/policies");
        policies.MapPost("", async (PolicyRequest request, FleetApi fleet, CancellationToken ct) =>
        {
            var policy = await fleet.AskAsync<PolicyView>(new AddPolicy(request.ToSpec()), ct);
            return TypedResults.Created($"{NodeApi.Prefix}/policies/{Uri.EscapeDataString(policy.Spec.Name)}", policy);
        });
        policies.MapGet("", async (FleetApi fleet, CancellationToken ct) => (await fleet.AskAsync<PolicyList>(ListPolicies.Instance, ct)).Policies);
        policies.MapGet("/{name}", (string name, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<PolicyView>(new GetPolicy(name), ct));
        policies.MapDelete("/{name}", (string name, FleetApi fleet, CancellationToken ct) => fleet.AskAsync<PolicyView>(new RemovePolicy(name), ct));
        policies.MapPost("/{name}/run", async (string name, FleetApi fleet, CancellationToken ct) =>
        {
            var accepted = await fleet.AskAsync<CampaignAccepted>(new RunPolicyNow(name), ct);
            return TypedResults.Created($"{NodeApi.Prefix}/campaigns/{Uri.EscapeDataString(accepted.Id)}", accepted);
        });
        return api;
    }
}
