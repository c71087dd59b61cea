using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>Operators through the coordinator: pause, resume, abort, and the requests it refuses.</summary>
public sealed class CampaignControlSpec(ITestOutputHelper output) : CampaignSpecBase(output)
{
    [Fact]
    public async Task Pause_lets_steps_in_flight_finish_and_starts_nothing_until_resume()
    {
        StartFleet(6, delay: TimeSpan.FromMilliseconds(100));
        StartCoordinator();
        await StartAsync(Snapshot(maxInFlight: 1));
        await WaitForAsync("c1", v => v.Hosts[0].StepIndex == 1); // sim-0001 is on its snapshot step

        var paused = await AskAsync<CampaignView>(new PauseCampaign("c1"));
        Assert.Equal(CampaignStates.Paused, paused.State);
        await WaitForAsync("c1", v => v.WaitingFor == "resume (the campaign is paused)");
        int executed = (await FleetLogAsync()).Executions.Count;
        await Task.Delay(600); // several ticks and resend intervals: nothing may start
        Assert.Equal(executed, (await FleetLogAsync()).Executions.Count);

        var resumed = await AskAsync<CampaignView>(new ResumeCampaign("c1"));
        Assert.Equal(CampaignStates.Running, resumed.State);
        var view = await WaitForEndAsync("c1");
        Assert.Equal((CampaignStates.Completed, 6), (view.State, Outcomes(view, HostOutcomes.Succeeded).Count));
        Assert.Equal(["paused", "resumed"], view.Timeline.Select(t => t.What).Where(w => w is "paused" or "resumed"));

        var refused = await Assert.ThrowsAsync<FleetRequestException>(() => AskAsync<CampaignView>(new ResumeCampaign("c1")));
        Assert.Equal((FleetRequestException.Conflict, "campaign c1 is completed (ended); only a paused campaign can be resumed"), (refused.Kind, refused.Message));
    }

    [Fact]
    public async Task Abort_skips_the_hosts_not_started_and_ends_once_the_steps_in_flight_answer()
    {
        StartFleet(6, delay: TimeSpan.FromMilliseconds(500));
        StartCoordinator();
        await StartAsync(Snapshot(maxInFlight: 2));
        await WaitForAsync("c1", v => v.Hosts.Count(h => h.Outcome == HostOutcomes.Running) == 2);
        var aborted = await AskAsync<CampaignView>(new AbortCampaign("c1"));
        Assert.Equal(CampaignStates.Aborted, aborted.State);
        var view = await WaitForEndAsync("c1");
        Assert.Equal((CampaignStates.Aborted, "aborted"), (view.State, view.Halted));
        Assert.Equal(["sim-0003", "sim-0004", "sim-0005", "sim-0006"], Outcomes(view, HostOutcomes.Skipped));
        Assert.All(view.Hosts.Take(2), h => Assert.StartsWith("stopped by the abort after preflight", h.Detail, StringComparison.Ordinal));
        var log = await FleetLogAsync();
        Assert.Equal(2, log.Executions.Count); // the two preflights, nothing after the abort

        var again = await Assert.ThrowsAsync<FleetRequestException>(() => AskAsync<CampaignView>(new AbortCampaign("c1")));
        Assert.Equal("campaign c1 has ended (aborted); there is nothing to abort", again.Message);
    }

    [Fact]
    public async Task Bad_starts_are_refused_with_one_line_naming_the_problem()
    {
        StartFleet(3, delay: TimeSpan.FromMilliseconds(200));
        StartCoordinator();

        await Refused(FleetRequestException.BadRequest, "hosts 'env=nowhere': the selector matches no host", Snapshot(hosts: "env=nowhere"));
        await Refused(FleetRequestException.BadRequest, "selector term 'rack=': not understood", Snapshot(hosts: "rack="));
        await Refused(FleetRequestException.BadRequest, "chunk size 1000: expected a power of two from 4K (4096) to 512K (524288)", Snapshot() with { ChunkBytes = 1000 });
        await Refused(FleetRequestException.NotFound, "of c9: no such campaign", Rollback("c9"));

        await StartAsync(Snapshot());
        await Refused(FleetRequestException.Conflict, "of c1: campaign c1 has not ended (running); wait for it or abort it first", Commit("c1"));
        await WaitForEndAsync("c1");
        await StartAsync(Commit("c1"));
        await Refused(FleetRequestException.BadRequest, "of c2: campaign c2 is a commit campaign; rollback and commit act on a snapshot campaign", Rollback("c2"));
        await Refused(FleetRequestException.BadRequest, "hosts 'host=sim-0009': the selector matches no host of campaign c1 that has its snapshot", Rollback("c1", hosts: "host=sim-0009"));

        var missing = await Assert.ThrowsAsync<FleetRequestException>(() => ViewAsync("c9"));
        Assert.Equal((FleetRequestException.NotFound, "campaign c9: no such campaign"), (missing.Kind, missing.Message));
        Assert.Equal(["c1", "c2"], (await AskAsync<CampaignList>(ListCampaigns.Instance)).Campaigns.Select(c => c.Id));
    }

    private async Task Refused(string kind, string message, CampaignSpec spec)
    {
        var e = await Assert.ThrowsAsync<FleetRequestException>(() => StartAsync(spec));
        Assert.Equal((kind, message), (e.Kind, e.Message));
    }

    [Fact]
    public async Task Steps_wait_for_the_maintenance_window()
    {
        StartFleet(3);
        long now = new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero).UtcTicks;
        var settings = Settings() with { Campaigns = FastCampaigns with { Clock = () => new DateTimeOffset(Interlocked.Read(ref now), TimeSpan.Zero) } };
        StartCoordinator(settings);
        await StartAsync(Snapshot(window: new MaintenanceWindowSpec(new TimeOnly(2, 0), new TimeOnly(4, 0), "UTC")));

        var waiting = await WaitForAsync("c1", v => v.WaitingFor is not null);
        Assert.Equal("the maintenance window 02:00-04:00 UTC (opens 2026-11-25 02:00)", waiting.WaitingFor);
        await Task.Delay(300);
        Assert.Empty((await FleetLogAsync()).Executions);

        Interlocked.Exchange(ref now, new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero).UtcTicks);
        var view = await WaitForEndAsync("c1");
        Assert.Equal(CampaignStates.Completed, view.State);
    }
}
