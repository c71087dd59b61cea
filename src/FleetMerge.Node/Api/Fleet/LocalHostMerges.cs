using Akka.Actor;
using FleetMerge.Host.Fleet;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Api.Fleet;

/// <summary>
/// The merges of one host that runs on this node, for one event stream: every snapshot seen with a
/// merge requested (attr 'S') is asked about at each poll, so a merge that completes (and whose
/// snapshot goes) stays in the list as complete. The host's fleet face (/user/fleet-host, or
/// /user/fleet-host-ID for a simulated host) names its current agent, which changes at every
/// simulated reboot.
/// </summary>
public sealed class LocalHostMerges(ActorSystem system, NodeRuntime runtime, string hostId)
{
    /// <summary>A poll must not hang on a busy or restarting agent: the stream keeps the last answer instead.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly List<(string Vg, string Snapshot)> watched = [];
    private readonly Dictionary<(string Vg, string Snapshot), MergeState> last = [];
    private IActorRef? fleetHost;

    /// <summary>True when the registry says the host reports from this node.</summary>
    public bool RunsHere(HostView host) =>
        host.Node == ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();

    /// <summary>Snapshots of the rows whose merge is requested ('S' in the first attr character), in row order.</summary>
    public static IEnumerable<(string Vg, string Snapshot)> MergingSnapshots(IEnumerable<LvRow> rows) =>
        rows.Where(r => r.Attr.Length > 0 && r.Attr[0] == 'S').Select(r => (r.Vg, r.Name));

    public async Task<IReadOnlyList<MergeState>> PollAsync(HostView host, CancellationToken ct)
    {
        foreach (var key in MergingSnapshots(host.Volumes))
            if (!watched.Contains(key)) watched.Add(key);
        if (watched.Count == 0) return [];

        var agent = await AgentAsync(ct);
        if (agent is not null)
        {
            foreach (var key in watched)
            {
                try
                {
                    var reply = await agent.Ask<MergeStateReply>(new GetMergeState(key.Vg, key.Snapshot), AskTimeout, ct);
                    if (reply.Merge is { } merge) last[key] = merge;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Restarting or busy (a simulated reboot): the last answer stands until the next poll.
                }
            }
        }
        return [.. watched.Where(last.ContainsKey).Select(k => last[k])];
    }

    private async Task<IActorRef?> AgentAsync(CancellationToken ct)
    {
        try
        {
            fleetHost ??= await system.ActorSelection(hostId == runtime.Settings.HostId ? "/user/fleet-host" : $"/user/fleet-host-{hostId}")
                .ResolveOne(AskTimeout, ct);
            return (await fleetHost.Ask<FleetHostView>(GetFleetHostView.Instance, AskTimeout, ct)).Agent;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fleetHost = null;
            return null;
        }
    }
}
