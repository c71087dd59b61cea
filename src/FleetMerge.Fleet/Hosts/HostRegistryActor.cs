using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>
/// The coordinator's host registry (a child of the coordinator): who the hosts are, which agent
/// takes each host's steps (the Sender of its latest report), and whether it can be reached. Soft
/// state: after a failover the next round of reports rebuilds it, so nothing is journaled. The
/// decisions are <see cref="HostRegistryState"/>'s; this actor only keeps agent refs, replies and
/// forwards. Reachability comes from three places: cluster member events (when the system is a
/// cluster), death watch on agents, and a timer for hosts that stop reporting.
/// </summary>
public sealed class HostRegistryActor : ReceiveActor, IWithTimers
{
    private readonly HostRegistrySettings settings;
    private readonly Func<DateTimeOffset> clock;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> agents = new(StringComparer.Ordinal);
    private HostRegistryState state = HostRegistryState.Empty;
    private bool subscribed;
    private DateTimeOffset holdSelectionsUntil;

    public HostRegistryActor(HostRegistrySettings settings, Func<DateTimeOffset> clock)
    {
        this.settings = settings;
        this.clock = clock;

        Receive<HostReport>(OnReport);
        Receive<HostLeaving>(m => Leave(m.HostId, m.Incarnation, "its agent is stopping"));
        Receive<ListHosts>(m => Reply(() => new HostList(state.List(m.Selector is null ? HostSelector.All : HostSelector.Parse(m.Selector)))));
        Receive<GetHost>(m => Reply(() => state.View(m.HostId)
            ?? throw new FleetRequestException(FleetRequestException.NotFound, $"host '{m.HostId}' is not registered")));
        Receive<ResolveHosts>(OnResolve);
        Receive<HeldResolve>(m => Reply(() => new ResolvedHosts(state.Resolve(HostSelector.Parse(m.Request.Selector)))));
        Receive<DeliverStep>(OnDeliver);

        Receive<ClusterEvent.UnreachableMember>(e => OnNode(new NodeUnreachable(e.Member.Address.ToString())));
        Receive<ClusterEvent.ReachableMember>(e => OnNode(new NodeReachable(e.Member.Address.ToString())));
        Receive<ClusterEvent.MemberRemoved>(e => OnNode(new NodeRemoved(e.Member.Address.ToString())));
        Receive<NodeUnreachable>(OnNode);
        Receive<NodeReachable>(OnNode);
        Receive<NodeRemoved>(OnNode);
        Receive<SweepSilentHosts>(_ => Sweep());
        Receive<Terminated>(OnAgentStopped);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(HostRegistrySettings settings, Func<DateTimeOffset>? clock = null) =>
        Akka.Actor.Props.Create(() => new HostRegistryActor(settings, clock ?? (() => DateTimeOffset.UtcNow)));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep", SweepSilentHosts.Instance, settings.HeartbeatInterval);
        holdSelectionsUntil = clock() + settings.ReportGrace;
        RequestReports();
        if (((ExtendedActorSystem)Context.System).Provider is IClusterActorRefProvider)
        {
            // InitialStateAsEvents: nodes already unreachable when the registry starts (after a failover) count at once.
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
            subscribed = true;
        }
    }

    protected override void PostStop()
    {
        FleetMetrics.ForgetHosts(this);
        if (subscribed) Cluster.Get(Context.System).Unsubscribe(Self);
    }

    /// <summary>After every message the metrics see the latest state (a reference: the state is immutable).</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        bool handled = base.AroundReceive(receive, message);
        FleetMetrics.PublishHosts(this, state);
        return handled;
    }

    /// <summary>Every node's hosts report now instead of at their next heartbeat (see <see cref="HostReportRelay"/> in the host).</summary>
    private void RequestReports()
    {
        if (((ExtendedActorSystem)Context.System).Provider is IClusterActorRefProvider)
        {
            foreach (var member in Cluster.Get(Context.System).State.Members)
                if (member.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                    Context.ActorSelection(new RootActorPath(member.Address) / "user" / RequestHostReports.RelayName).Tell(RequestHostReports.Instance);
        }
        else
            Context.ActorSelection($"/user/{RequestHostReports.RelayName}").Tell(RequestHostReports.Instance);
    }

    private void OnResolve(ResolveHosts request)
    {
        var wait = holdSelectionsUntil - clock();
        if (wait > TimeSpan.Zero)
            Context.System.Scheduler.ScheduleTellOnce(wait, Self, new HeldResolve(request), Sender);
        else
            Reply(() => new ResolvedHosts(state.Resolve(HostSelector.Parse(request.Selector))));
    }

    /// <summary>A selection held until the hosts asked at start have had time to report.</summary>
    private sealed record HeldResolve(ResolveHosts Request);

    private void OnReport(HostReport report)
    {
        var (next, outcome) = state.Apply(report, clock());
        state = next;
        switch (outcome)
        {
            case ReportOutcome.Stale:
                log.Debug("host={0}: the host registry ignored a report of incarnation {1} (current {2})", report.HostId, report.Incarnation,
                    state.Hosts.TryGetValue(report.HostId, out var known) ? known.Incarnation : 0);
                return;
            case ReportOutcome.Registered:
                SetAgent(report.HostId, Sender);
                log.Info("host={0}: registered with the host registry (incarnation {1}, node {2}, {3} volumes)", report.HostId, report.Incarnation, report.Node, report.Volumes.Count);
                Sender.Tell(new HostRegistered(report.HostId, report.Incarnation));
                return;
            default:
                SetAgent(report.HostId, Sender);
                return;
        }
    }

    private void OnDeliver(DeliverStep deliver)
    {
        var step = deliver.Step;
        if (!state.Hosts.TryGetValue(step.HostId, out var host))
            log.Debug("host={0} campaign={1}: the host registry dropped step {2}: the host is not registered", step.HostId, step.CampaignId, step.Key);
        else if (state.ReachabilityOf(host) is var reachability && reachability != Reachability.Reachable)
            log.Debug("host={0} campaign={1}: the host registry dropped step {2}: the host is {3}", step.HostId, step.CampaignId, step.Key, reachability);
        else if (!agents.TryGetValue(step.HostId, out var agent))
            log.Debug("host={0} campaign={1}: the host registry dropped step {2}: the host reported without an agent to take steps", step.HostId, step.CampaignId, step.Key);
        else
            agent.Tell(step, Sender); // the host answers the campaign directly
    }

    private void OnNode(object change)
    {
        (state, string what) = change switch
        {
            NodeUnreachable n => (state.NodeUnreachable(n.Node), $"node {n.Node} is unreachable: its hosts get no steps"),
            NodeReachable n => (state.NodeReachable(n.Node), $"node {n.Node} is reachable again"),
            NodeRemoved n => (state.NodeRemoved(n.Node), $"node {n.Node} left the cluster: its hosts have left"),
            _ => (state, $"ignored {change}"),
        };
        log.Info("host registry: {0}", what);
    }

    private void Sweep()
    {
        var (next, newly) = state.MarkSilent(clock(), settings.Silence);
        state = next;
        foreach (string host in newly)
            log.Warning("host={0}: has not reported to the host registry for {1}; unreachable until it does", host, settings.Silence);
    }

    private void OnAgentStopped(Terminated terminated)
    {
        foreach (var (host, agent) in agents.ToList())
        {
            if (!agent.Equals(terminated.ActorRef)) continue;
            agents.Remove(host);
            if (state.Hosts.TryGetValue(host, out var known)) Leave(host, known.Incarnation, "its agent stopped");
        }
    }

    private void Leave(string hostId, long incarnation, string why)
    {
        var next = state.Leave(hostId, incarnation);
        if (ReferenceEquals(next, state)) return;
        state = next;
        log.Info("host={0}: incarnation {1} left the host registry: {2}", hostId, incarnation, why);
    }

    /// <summary>Keeps the agent ref of the current incarnation, watched while any host uses it (one node may run many simulated hosts).</summary>
    private void SetAgent(string hostId, IActorRef sender)
    {
        bool canTakeSteps = !sender.IsNobody() && !sender.Equals(Context.System.DeadLetters);
        if (agents.TryGetValue(hostId, out var old) && !old.Equals(sender))
        {
            agents.Remove(hostId);
            if (!agents.ContainsValue(old)) Context.Unwatch(old);
        }
        if (!canTakeSteps) return;
        agents[hostId] = sender;
        Context.Watch(sender);
    }

    private void Reply(Func<object> answer)
    {
        try { Sender.Tell(answer()); }
        catch (FleetRequestException e) { Sender.Tell(new Status.Failure(e)); }
    }
}
