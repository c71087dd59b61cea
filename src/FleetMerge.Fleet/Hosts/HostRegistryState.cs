using System.Collections.Immutable;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>
/// The coordinator's view of the fleet's hosts, as pure transitions. Soft state: nothing here is
/// journaled; after a failover the next round of reports rebuilds it. Node addresses are the
/// strings hosts put in <see cref="HostReport.Node"/> (Akka's Address.ToString()).
/// </summary>
public sealed record HostRegistryState(
    ImmutableSortedDictionary<string, RegisteredHost> Hosts,
    ImmutableHashSet<string> UnreachableNodes)
{
    public static readonly HostRegistryState Empty =
        new(ImmutableSortedDictionary.Create<string, RegisteredHost>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal));

    /// <summary>
    /// A newer incarnation replaces the host (a reboot); the current one refreshes it; an older one,
    /// or a report of an incarnation that has left, is ignored (a late message from before a restart).
    /// </summary>
    public (HostRegistryState State, ReportOutcome Outcome) Apply(HostReport report, DateTimeOffset receivedAt)
    {
        if (Hosts.TryGetValue(report.HostId, out var known))
        {
            if (report.Incarnation < known.Incarnation) return (this, ReportOutcome.Stale);
            if (report.Incarnation == known.Incarnation)
            {
                if (known.Left) return (this, ReportOutcome.Stale);
                return (this with { Hosts = Hosts.SetItem(report.HostId, new RegisteredHost(report, receivedAt, false, false)) }, ReportOutcome.Updated);
            }
        }
        return (this with { Hosts = Hosts.SetItem(report.HostId, new RegisteredHost(report, receivedAt, false, false)) }, ReportOutcome.Registered);
    }

    /// <summary>The incarnation has gone (HostLeaving, or its agent was seen to stop); a later incarnation is left alone.</summary>
    public HostRegistryState Leave(string hostId, long incarnation) =>
        Hosts.TryGetValue(hostId, out var known) && known.Incarnation == incarnation && !known.Left
            ? this with { Hosts = Hosts.SetItem(hostId, known with { Left = true }) }
            : this;

    public HostRegistryState NodeUnreachable(string node) => this with { UnreachableNodes = UnreachableNodes.Add(node) };

    public HostRegistryState NodeReachable(string node) => this with { UnreachableNodes = UnreachableNodes.Remove(node) };

    /// <summary>
    /// The node has left the cluster: every host on it has left. A node that comes back at the same
    /// address is a new node (a new Akka uid) whose agents report new incarnations.
    /// </summary>
    public HostRegistryState NodeRemoved(string node)
    {
        var hosts = Hosts;
        foreach (var host in Hosts.Values)
            if (host.Report.Node == node && !host.Left) hosts = hosts.SetItem(host.HostId, host with { Left = true });
        return new HostRegistryState(hosts, UnreachableNodes.Remove(node));
    }

    /// <summary>Marks silent the hosts that have not reported for longer than <paramref name="silence"/>; returns the ones newly silent.</summary>
    public (HostRegistryState State, IReadOnlyList<string> NewlySilent) MarkSilent(DateTimeOffset now, TimeSpan silence)
    {
        var hosts = Hosts;
        var newly = new List<string>();
        foreach (var host in Hosts.Values)
        {
            if (host.Silent || host.Left || now - host.ReceivedAt <= silence) continue;
            hosts = hosts.SetItem(host.HostId, host with { Silent = true });
            newly.Add(host.HostId);
        }
        return (this with { Hosts = hosts }, newly);
    }

    public string ReachabilityOf(RegisteredHost host) =>
        host.Left ? Reachability.Left
        : host.Silent || UnreachableNodes.Contains(host.Report.Node) ? Reachability.Unreachable
        : Reachability.Reachable;

    public bool IsReachable(string hostId) =>
        Hosts.TryGetValue(hostId, out var host) && ReachabilityOf(host) == Reachability.Reachable;

    public HostView? View(string hostId) => Hosts.TryGetValue(hostId, out var host) ? ViewOf(host) : null;

    /// <summary>The registered hosts (reachable or not) the selector matches, sorted by id.</summary>
    public IReadOnlyList<string> Resolve(HostSelector selector) =>
        [.. Hosts.Values.Where(h => selector.Matches(h.HostId, h.Report.Labels)).Select(h => h.HostId)];

    public IReadOnlyList<HostView> List(HostSelector selector) =>
        [.. Hosts.Values.Where(h => selector.Matches(h.HostId, h.Report.Labels)).Select(ViewOf)];

    private HostView ViewOf(RegisteredHost host)
    {
        var r = host.Report;
        return new HostView(r.HostId, r.Node, r.Labels, ReachabilityOf(host), HostStates.Of(r.Volumes), r.Incarnation,
            r.Simulated, r.FreeBytes, r.Volumes, host.ReceivedAt);
    }
}
