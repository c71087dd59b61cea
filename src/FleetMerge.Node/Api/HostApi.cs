using Akka.Actor;
using Akka.Hosting;
using FleetMerge.Host;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Api;

/// <summary>What the vg/lv endpoints share: the host agent (control operations, by Ask) and the catalog (lists and block I/O, direct).</summary>
public sealed class HostApi(IRequiredActor<HostAgent> agent, HostCatalog catalog, NodeRuntime runtime)
{
    /// <summary>Control operations are short, but a deactivation waits for a running merge to stop after its current group.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The loaded catalog (the node's ready line waits for it, so this does not wait in practice).</summary>
    public async Task<HostCatalog> CatalogAsync(CancellationToken ct)
    {
        CheckRole();
        await catalog.Loaded.WaitAsync(AskTimeout, ct);
        return catalog;
    }

    /// <summary>Asks the host agent; a refusal comes back as the engine's exception, which ApiErrors maps.</summary>
    public async Task<T> AskAsync<T>(object message, CancellationToken ct)
    {
        CheckRole();
        var host = await agent.GetAsync(ct);
        return await host.Ask<T>(message, AskTimeout, ct);
    }

    private void CheckRole()
    {
        if (!runtime.Settings.Roles.Contains(NodeActors.HostRole))
            throw ApiException.NotFound($"this node has no volume groups: it runs without the '{NodeActors.HostRole}' role (--roles {string.Join(',', runtime.Settings.Roles)})");
    }
}
