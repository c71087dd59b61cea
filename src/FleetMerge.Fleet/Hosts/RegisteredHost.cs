using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>One host in the registry: its latest accepted report and what happened since.</summary>
/// <param name="ReceivedAt">When the registry received the report (its own clock: host clocks may be off).</param>
/// <param name="Left">The incarnation of <paramref name="Report"/> has gone (HostLeaving, its agent stopped, or its node was removed).</param>
/// <param name="Silent">No report for the silence period (a few heartbeats).</param>
public sealed record RegisteredHost(HostReport Report, DateTimeOffset ReceivedAt, bool Left, bool Silent)
{
    public string HostId => Report.HostId;

    public long Incarnation => Report.Incarnation;
}
