using Akka.Actor;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet;

/// <summary>
/// One per host-role node, at /user/host-reports: passes the registry's <see cref="RequestHostReports"/>
/// to every host actor of this node (the node's own and its simulated ones) through the event stream,
/// so the registry needs no list of them.
/// </summary>
public sealed class HostReportRelay : ReceiveActor
{
    public HostReportRelay()
    {
        Receive<RequestHostReports>(request => Context.System.EventStream.Publish(request));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new HostReportRelay());
}
