using Akka.Actor;
using FleetMerge.Host.Fleet.Hooks;

namespace FleetMerge.Host.Fleet;

/// <summary>
/// The host as a running step sees it: the current incarnation of its agent (steps wait while it
/// restarts), its hooks, its free space, its faults. The fleet host actor is the only writer
/// (it swaps the agent at a reboot); steps run on the thread pool and only read.
/// </summary>
public sealed class HostMachine
{
    private static readonly TimeSpan RestartAskLimit = TimeSpan.FromDays(1); // the step's timeout is the real bound

    private readonly Func<HostCatalog, long> freeBytes;
    private volatile TaskCompletionSource<AgentHandle> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int crashPending;
    private IActorRef host = ActorRefs.Nobody;

    public HostMachine(string hostId, bool simulated, IHostHooks hooks, Func<HostCatalog, long> freeBytes, HostFaults faults)
    {
        HostId = hostId;
        Simulated = simulated;
        Hooks = hooks;
        this.freeBytes = freeBytes;
        Faults = faults;
        crashPending = faults.CrashMidMerge ? 1 : 0;
    }

    public string HostId { get; }

    /// <summary>True when the fleet host actor owns its agent (a simulated host): a reboot restarts that agent.</summary>
    public bool Simulated { get; }

    public IHostHooks Hooks { get; }

    public HostFaults Faults { get; }

    /// <summary>The agent now, or null while it (re)starts.</summary>
    public AgentHandle? Current => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : null;

    /// <summary>The agent, once it has loaded and activated its volume groups.</summary>
    public Task<AgentHandle> AgentAsync(CancellationToken ct) => ready.Task.WaitAsync(ct);

    public long FreeBytes(HostCatalog catalog) => freeBytes(catalog);

    /// <summary>Restarts the owned agent (a simulated reboot) and returns the new incarnation, once it has activated its groups.</summary>
    public async Task<long> RestartOwnedAgentAsync(string reason, CancellationToken ct) =>
        (await host.Ask<OwnedAgentRestarted>(new RestartOwnedAgent(reason), RestartAskLimit, ct)).Incarnation;

    /// <summary>True once: the crash-mid-merge fault fires at one reboot only.</summary>
    public bool TakeCrashMidMerge() => Interlocked.Exchange(ref crashPending, 0) == 1;

    internal void AttachTo(IActorRef fleetHost) => host = fleetHost;

    internal void Restarting()
    {
        if (ready.Task.IsCompleted) ready = new TaskCompletionSource<AgentHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal void Ready(AgentHandle agent)
    {
        if (!ready.TrySetResult(agent))
        {
            ready = new TaskCompletionSource<AgentHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
            ready.TrySetResult(agent);
        }
    }
}
