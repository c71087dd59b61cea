using Akka.Actor;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Hosts;

/// <summary>A registry that starts (a new coordinator after a failover) asks for reports and holds selections for them.</summary>
public sealed class HostRegistryStartSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = DEBUG", output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private sealed class Forward : ReceiveActor
    {
        public Forward(IActorRef to) => ReceiveAny(m => to.Forward(m));
    }

    private IActorRef Relay(IActorRef probe) => Sys.ActorOf(Props.Create(() => new Forward(probe)), RequestHostReports.RelayName);

    [Fact]
    public void A_starting_registry_asks_the_node_relay_for_reports_at_once()
    {
        var relay = CreateTestProbe();
        Relay(relay.Ref);

        Sys.ActorOf(HostRegistryActor.Props(new HostRegistrySettings(TimeSpan.FromMinutes(10), 3)));

        relay.ExpectMsg<RequestHostReports>(Timeout);
    }

    [Fact]
    public async Task A_selection_asked_during_the_grace_includes_hosts_that_report_in_it()
    {
        var settings = new HostRegistrySettings(TimeSpan.FromMinutes(10), 3) { ReportGrace = TimeSpan.FromSeconds(5) };
        var registry = Sys.ActorOf(HostRegistryActor.Props(settings));

        var resolved = registry.Ask<ResolvedHosts>(new ResolveHosts("all"), Timeout);
        registry.Tell(HostRegistryStateTests.Report("web-1", 1, "akka.tcp://fleet@10.0.0.1:4053"), CreateTestProbe().Ref);

        Assert.Equal(["web-1"], (await resolved).HostIds);
    }

    [Fact]
    public async Task Without_a_grace_a_selection_is_answered_from_what_has_reported()
    {
        var registry = Sys.ActorOf(HostRegistryActor.Props(new HostRegistrySettings(TimeSpan.FromMinutes(10), 3)));

        Assert.Empty((await registry.Ask<ResolvedHosts>(new ResolveHosts("all"), Timeout)).HostIds);
    }
}
