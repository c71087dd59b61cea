using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class CampaignProjectionTests
{
    [Fact]
    public void The_view_shows_waves_hosts_steps_and_what_the_campaign_waits_for()
    {
        var run = new CampaignRun(Plan(Snapshot(canary: 1, waveSize: "2", upgrade: true, budget: "1"), hosts: 3));
        run.Answer("sim-0001");
        var view = CampaignProjection.View(run.State, run.Now);
        Assert.Equal(("c1", CampaignStates.Running, 1, 1, 0), (view.Id, view.State, view.CurrentWave, view.FailuresAllowed, view.FailuresSeen));
        Assert.Equal([("canary", "running"), ("wave 2", "pending")], view.Waves.Select(w => (w.Name, w.State)));
        var canary = view.Hosts[0];
        Assert.Equal(("sim-0001", 1, HostOutcomes.Running, "snapshot", 1, 3), (canary.HostId, canary.Wave, canary.Outcome, canary.Step, canary.StepIndex, canary.StepCount));
        Assert.Equal((HostOutcomes.Pending, (string?)null), (view.Hosts[1].Outcome, view.Hosts[1].Step));
        Assert.Equal("answers to sim-0001 snapshot", view.WaitingFor);

        run.AnswerAll((host, step) => host == "sim-0002" && step == 2);
        view = CampaignProjection.View(run.State, run.Now);
        Assert.Equal(CampaignStates.Completed, view.State);
        Assert.Null(view.WaitingFor);
        Assert.Equal([("canary", "done"), ("wave 2", "done")], view.Waves.Select(w => (w.Name, w.State)));
        Assert.Equal(("hook upgrade", "scripted"), (view.Hosts[1].Step, view.Hosts[1].Detail));
        Assert.Equal(
            ["created by test: snapshot of vg0/root on 3 hosts in 2 waves, 1 failures allowed", "canary started (1 hosts)", "wave 2 started (2 hosts)",
             "sim-0002 failed at hook upgrade: scripted", "ended completed: 2 succeeded, 1 failed, 0 skipped"],
            view.Timeline.Select(t => t.What));
        var summary = CampaignProjection.Summary(CampaignProjection.Entry(run.State, 1));
        Assert.Equal(("c1", 3, 2, 1, 0), (summary.Id, summary.HostCount, summary.Succeeded, summary.Failed, summary.Running));
    }

    [Fact]
    public void A_long_timeline_keeps_its_newest_notes_and_says_how_many_it_dropped()
    {
        var run = new CampaignRun(Plan(Snapshot(budget: "100%"), hosts: 300));
        run.AnswerAll((_, _) => true);
        var view = CampaignProjection.View(run.State, run.Now);
        Assert.Equal(CampaignEvolution.TimelineLimit + 1, view.Timeline.Count);
        Assert.Equal("(103 earlier entries not kept)", view.Timeline[0].What);
        Assert.StartsWith("ended completed", view.Timeline[^1].What, StringComparison.Ordinal);
    }
}
