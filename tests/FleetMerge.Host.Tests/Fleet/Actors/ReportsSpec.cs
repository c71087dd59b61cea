using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Simulated;
using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>What the coordinator hears: a report at every start of the agent, every heartbeat, after every step; HostLeaving at the end.</summary>
public sealed class ReportsSpec(ITestOutputHelper output) : FleetSpec(output)
{
    [Fact]
    public async Task Reports_at_start_on_heartbeats_after_steps_and_leaving_at_stop()
    {
        var host = SimulatedHost();
        var settings = new FleetHostSettings(host.HostId, host.Labels, host.Directory) { HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        var actor = StartSimulated(host, settings: settings);
        var first = NextReport();
        Assert.Equal((1L, 1), (first.Incarnation, first.Volumes.Count));
        Assert.Equal(actor, Coordinator.LastSender); // the Sender of a report is where steps go

        // Heartbeats keep coming with no steps.
        NextReport();
        NextReport();

        await OkAsync(actor, Step("s", host.HostId, StepKinds.Snapshot));
        Assert.Equal(["root", "root-c1"], NextReport(r => r.Volumes.Count == 2).Volumes.Select(v => v.Name));
        await OkAsync(actor, Step("r", host.HostId, StepKinds.Reboot));
        NextReport(r => r.Incarnation == 2);

        Stop(actor);
        var leaving = (HostLeaving)Coordinator.FishForMessage(m => m is HostLeaving, Timeout);
        Assert.Equal(new HostLeaving("sim-0001", 2), leaving);
    }

    [Fact]
    public void A_fleet_of_simulated_hosts_reports_each_host()
    {
        var started = SimulatedFleet.Start(Sys, Fleet(3, DataDirectory) with { ExtraLabels = new Dictionary<string, string> { ["site"] = "lab" } },
            HostSpec.Fast, Coordinator.Ref);
        try
        {
            var reports = Enumerable.Range(0, 3).Select(_ => NextReport()).OrderBy(r => r.HostId).ToList();
            Assert.Equal(["sim-0001", "sim-0002", "sim-0003"], reports.Select(r => r.HostId));
            Assert.Equal(["true", "true", null], reports.Select(r => r.Labels.GetValueOrDefault("canary")));
            Assert.All(reports, r => Assert.Equal(("lab", "sim", 60L << 20), (r.Labels["site"], r.Labels["env"], r.FreeBytes)));
            Assert.Equal(["fleet-host-sim-0001", "fleet-host-sim-0002", "fleet-host-sim-0003"], started.Select(s => s.Actor.Path.Name));
        }
        finally
        {
            foreach (var (_, actor) in started) Stop(actor);
        }
    }

    [Fact]
    public void A_request_through_the_node_relay_makes_a_host_report_before_its_next_heartbeat()
    {
        var host = SimulatedHost();
        // Heartbeats every 10 minutes: after the start report only the request can bring another one.
        var settings = new FleetHostSettings(host.HostId, host.Labels, host.Directory) { HeartbeatInterval = TimeSpan.FromMinutes(10) };
        var actor = StartSimulated(host, settings: settings);
        Assert.Equal(1L, NextReport().Incarnation);
        var relay = Sys.ActorOf(HostReportRelay.Props(), RequestHostReports.RelayName);

        relay.Tell(RequestHostReports.Instance, Akka.Actor.ActorRefs.NoSender);

        var report = NextReport();
        Assert.Equal((host.HostId, 1L), (report.HostId, report.Incarnation));
        Stop(actor);
    }
}
