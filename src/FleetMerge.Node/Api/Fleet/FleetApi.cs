using Akka.Actor;
using Akka.Hosting;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>What the host, campaign and policy endpoints share: the coordinator, reached through the singleton proxy.</summary>
public sealed class FleetApi(ActorRegistry registry, NodeRuntime runtime)
{
    /// <summary>Starting a campaign resolves hosts and persists it; after a failover the new singleton may need a few seconds.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Asks the coordinator; a refusal comes back as FleetRequestException (400/404/409 in ApiErrors).</summary>
    public async Task<T> AskAsync<T>(object message, CancellationToken ct)
    {
        if (!registry.TryGet<FleetCoordinator>(out var coordinator))
            throw ApiException.NotFound(
                $"this node has no fleet API: it runs without the 'api' role (--roles {string.Join(',', runtime.Settings.Roles)})");
        try
        {
            return await coordinator.Ask<T>(message, AskTimeout, ct);
        }
        catch (AskTimeoutException)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                $"the coordinator did not answer within {AskTimeout.TotalSeconds:0} s (no node with the 'coordinator' role is up, or it is moving after a failover)");
        }
    }
}
