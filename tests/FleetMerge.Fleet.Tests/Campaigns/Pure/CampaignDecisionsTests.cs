using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class CampaignDecisionsTests
{
    [Fact]
    public void The_canary_wave_runs_alone_then_each_wave_waits_for_the_one_before()
    {
        var run = new CampaignRun(Plan(Snapshot(canary: 1, waveSize: "2"), hosts: 5));
        Assert.Equal(["sim-0001"], run.Running);
        Assert.Equal((1, "c1/sim-0001/0-preflight/1"), (run.State.CurrentWave, run.Host("sim-0001").PendingKey));

        run.Answer("sim-0001");
        Assert.Equal("c1/sim-0001/1-snapshot/1", run.Host("sim-0001").PendingKey);
        run.Answer("sim-0001");
        Assert.Equal(HostOutcomes.Succeeded, run.Host("sim-0001").Outcome);
        Assert.Equal(["sim-0002", "sim-0003"], run.Running);
        Assert.Equal(2, run.State.CurrentWave);

        run.Answer("sim-0002");
        run.Answer("sim-0002");
        Assert.Equal(["sim-0003"], run.Running); // wave 3 waits for sim-0003
        run.Answer("sim-0003");
        run.Answer("sim-0003");
        Assert.Equal(["sim-0004", "sim-0005"], run.Running);
        run.AnswerAll();
        Assert.Equal((CampaignStates.Completed, T0), (run.State.State, run.State.EndedAt!.Value));
        Assert.Equal(5, run.Outcomes(HostOutcomes.Succeeded).Count);
    }

    [Fact]
    public void Max_in_flight_bounds_the_hosts_working_at_once_within_a_wave()
    {
        var run = new CampaignRun(Plan(Snapshot(maxInFlight: 2), hosts: 5));
        Assert.Equal(["sim-0001", "sim-0002"], run.Running);
        run.Answer("sim-0002");
        Assert.Equal(["sim-0001", "sim-0002"], run.Running); // sim-0002 is on its next step
        run.Answer("sim-0002");
        Assert.Equal(["sim-0001", "sim-0003"], run.Running);
    }

    [Fact]
    public void A_duplicate_a_stale_and_a_foreign_result_are_ignored()
    {
        var run = new CampaignRun(Plan(Snapshot(), hosts: 2));
        string first = run.Host("sim-0001").PendingKey!;
        run.Answer("sim-0001");
        Assert.Empty(run.Result(Ok("sim-0001", first)));                       // duplicate of an answered step
        Assert.Empty(run.Result(Failed("sim-0001", first)));                   // a late different answer to it
        Assert.Empty(run.Result(Ok("sim-0001", "c1/sim-0001/1-snapshot/2")));  // not the pending key
        Assert.Empty(run.Result(Ok("sim-0009", "c1/sim-0009/0-preflight/1"))); // not a host of the campaign
        Assert.Empty(run.Result(Ok("sim-0002", run.Host("sim-0001").PendingKey!))); // another host's key
        Assert.Equal((HostOutcomes.Running, 1), (run.Host("sim-0001").Outcome, run.Host("sim-0001").StepIndex));
    }

    [Fact]
    public void A_spent_failure_budget_halts_skips_the_pending_hosts_and_lets_hosts_in_flight_finish()
    {
        var run = new CampaignRun(Plan(Snapshot(maxInFlight: 3, budget: "1", upgrade: true, autoRollback: true), hosts: 6));
        run.Answer("sim-0001");                     // preflight ok
        run.Answer("sim-0001");                     // snapshot ok
        run.Answer("sim-0001", ok: false, "upgrade exited 3");
        Assert.Equal(CampaignStates.Running, run.State.State); // 1 failure is within the budget
        Assert.Equal(["sim-0002", "sim-0003", "sim-0004"], run.Running);
        run.Answer("sim-0002", ok: false, "no space");
        Assert.Equal(CampaignStates.Failed, run.State.State);
        Assert.Equal("failure budget spent: 2 hosts failed (sim-0001, sim-0002), 1 allowed", run.State.Halted);
        Assert.Equal(["sim-0005", "sim-0006"], run.Outcomes(HostOutcomes.Skipped));
        Assert.Null(run.State.EndedAt);

        // In flight: sim-0003 goes through all its steps, sim-0004 fails after its snapshot.
        run.Answer("sim-0003");
        run.Answer("sim-0003");
        run.Answer("sim-0003");
        run.Answer("sim-0004");
        run.Answer("sim-0004");
        run.Answer("sim-0004", ok: false, "upgrade exited 1");
        Assert.Equal(CampaignStates.Failed, run.State.State);
        Assert.NotNull(run.State.EndedAt);
        Assert.Equal((3, 1), (run.State.FailuresSeen, run.State.Plan.FailuresAllowed));
        Assert.Equal(["sim-0003"], run.Outcomes(HostOutcomes.Succeeded));
        Assert.Equal(["sim-0001", "sim-0004"], CampaignDecisions.AutoRollbackHosts(run.State)); // sim-0002 had no snapshot
        Assert.Equal(["sim-0001", "sim-0003", "sim-0004"], CampaignDecisions.Targets(run.State).HostsWithSnapshot);

        run.Do(s => CampaignDecisions.RecordFollowUp(s, "c2", run.Now));
        Assert.Equal("c2", run.State.FollowUp);
        Assert.Empty(CampaignDecisions.AutoRollbackHosts(run.State));
        Assert.Empty(CampaignDecisions.RecordFollowUp(run.State, "c2", run.Now));
    }

    [Fact]
    public void Paused_campaigns_start_no_step_until_resumed()
    {
        var run = new CampaignRun(Plan(Snapshot(maxInFlight: 1), hosts: 2));
        run.Do(s => CampaignDecisions.Pause(s, run.Now));
        run.Answer("sim-0001");                     // the step in flight finishes
        Assert.Null(run.Host("sim-0001").PendingKey); // but its next one waits
        Assert.Equal(["sim-0001"], run.Running);
        Assert.Equal("resume (the campaign is paused)", CampaignProjection.WaitingFor(run.State, run.Now));
        run.Do(s => CampaignDecisions.Resume(s, run.Now));
        Assert.Equal("c1/sim-0001/1-snapshot/1", run.Host("sim-0001").PendingKey);
        run.AnswerAll();
        Assert.Equal(CampaignStates.Completed, run.State.State);
    }

    [Fact]
    public void Abort_skips_pending_hosts_stops_hosts_between_steps_and_ends_when_the_steps_in_flight_answer()
    {
        var run = new CampaignRun(Plan(Snapshot(maxInFlight: 2, upgrade: true), hosts: 4));
        run.Do(s => CampaignDecisions.Pause(s, run.Now));
        run.Answer("sim-0001");                     // sim-0001 waits between preflight and snapshot
        run.Do(s => CampaignDecisions.Abort(s, run.Now));
        Assert.Equal(CampaignStates.Aborted, run.State.State);
        Assert.Equal(["sim-0003", "sim-0004"], run.Outcomes(HostOutcomes.Skipped));
        Assert.Equal("stopped by the abort after preflight (1 of 3 steps done)", run.Host("sim-0001").Detail);
        Assert.Null(run.State.EndedAt);             // sim-0002's preflight is in flight
        run.Answer("sim-0002");
        Assert.Equal((HostOutcomes.Failed, "stopped by the abort after preflight (1 of 3 steps done)"),
            (run.Host("sim-0002").Outcome, run.Host("sim-0002").Detail));
        Assert.Equal(CampaignStates.Aborted, run.State.State);
        Assert.NotNull(run.State.EndedAt);
        Assert.Equal("aborted", run.State.Halted);
    }

    [Fact]
    public void Refusals_are_conflicts_that_say_why()
    {
        var run = new CampaignRun(Plan(Snapshot(), hosts: 1));
        Conflict("campaign c1 is running; only a paused campaign can be resumed", s => CampaignDecisions.Resume(s, run.Now), run.State);
        run.Do(s => CampaignDecisions.Pause(s, run.Now));
        Conflict("campaign c1 is paused; only a running campaign can be paused", s => CampaignDecisions.Pause(s, run.Now), run.State);
        run.Do(s => CampaignDecisions.Abort(s, run.Now));
        Conflict("campaign c1 is aborted already; it ends when its hosts in flight answer", s => CampaignDecisions.Abort(s, run.Now), run.State);
        run.AnswerAll();
        Conflict("campaign c1 has ended (aborted); there is nothing to abort", s => CampaignDecisions.Abort(s, run.Now), run.State);
        Conflict("campaign c1 is aborted (ended); only a running campaign can be paused", s => CampaignDecisions.Pause(s, run.Now), run.State);
    }

    private static void Conflict(string message, Func<CampaignState, IReadOnlyList<ICampaignEvent>> decide, CampaignState state)
    {
        var e = Assert.Throws<FleetRequestException>(() => decide(state));
        Assert.Equal((FleetRequestException.Conflict, message), (e.Kind, e.Message));
    }

    [Fact]
    public void A_step_without_an_answer_past_its_timeout_and_the_grace_fails_its_host_and_a_late_answer_is_ignored()
    {
        var tuning = new CampaignTuning(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        var run = new CampaignRun(Plan(Snapshot(budget: "5", stepTimeout: TimeSpan.FromMinutes(5)), hosts: 2), tuning: tuning);
        run.Now = T0.AddMinutes(1);
        run.Answer("sim-0002");
        run.Now = T0.AddMinutes(5).AddSeconds(30);
        Assert.Empty(run.Tick());                   // exactly at the deadline: still waiting
        run.Now = run.Now.AddSeconds(1);
        run.Tick();
        Assert.Equal((HostOutcomes.Failed, "no answer from host sim-0001 within 5m30s"), (run.Host("sim-0001").Outcome, run.Host("sim-0001").Detail));
        Assert.Equal(HostOutcomes.Running, run.Host("sim-0002").Outcome); // its snapshot step started later
        Assert.Empty(run.Result(Ok("sim-0001", "c1/sim-0001/0-preflight/1")));
    }

    [Fact]
    public void A_host_that_refused_the_step_is_named_with_its_reason_when_the_step_times_out()
    {
        var run = new CampaignRun(Plan(Snapshot(stepTimeout: TimeSpan.FromSeconds(30)), hosts: 1), tuning: new CampaignTuning(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        run.Now = T0.AddSeconds(41);
        run.Do(s => CampaignDecisions.OnTick(s, run.Now, run.Tuning, key => key == "c1/sim-0001/0-preflight/1" ? "host sim-0001 is restarting" : null));
        Assert.Equal("no answer from host sim-0001 within 40s (it refused the step: host sim-0001 is restarting)", run.Host("sim-0001").Detail);
    }

    [Fact]
    public void A_recovery_gives_unanswered_steps_their_full_timeout_again()
    {
        var run = new CampaignRun(Plan(Snapshot(stepTimeout: TimeSpan.FromMinutes(1)), hosts: 1), tuning: new CampaignTuning(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        run.Now = T0.AddMinutes(10);                // the coordinator was down for ten minutes
        var recovered = run.Do(s => CampaignDecisions.Recovered(s, run.Now));
        Assert.Equal(new CampaignRecovered(1, run.Now), recovered[0]);
        run.Now = T0.AddMinutes(11).AddSeconds(10);
        Assert.Empty(run.Tick());
        run.Now = run.Now.AddSeconds(1);
        Assert.IsType<StepFailed>(run.Tick()[0]);
    }

    [Fact]
    public void Steps_start_only_inside_the_maintenance_window()
    {
        var window = new MaintenanceWindowSpec(new TimeOnly(2, 0), new TimeOnly(4, 0), "UTC");
        var closed = new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
        var run = new CampaignRun(Plan(Snapshot(window: window), hosts: 2), at: closed);
        Assert.Empty(run.Running);
        Assert.Equal("the maintenance window 02:00-04:00 UTC (opens 2026-11-25 02:00)", CampaignProjection.WaitingFor(run.State, run.Now));
        run.Now = closed.AddHours(1);
        run.Tick();
        Assert.Equal(["sim-0001", "sim-0002"], run.Running);
        run.Now = closed.AddHours(3);               // closes with both preflights in flight
        run.Answer("sim-0001");
        run.Answer("sim-0002");
        Assert.Null(run.Host("sim-0001").PendingKey);
        Assert.Null(run.Host("sim-0002").PendingKey);
        run.Now = closed.AddDays(1).AddHours(1);
        run.Tick();
        Assert.Equal("c1/sim-0001/1-snapshot/1", run.Host("sim-0001").PendingKey);
    }

    [Fact]
    public void A_rollback_campaign_runs_its_four_steps_on_the_hosts_of_its_snapshot_campaign()
    {
        var targets = new CampaignTargets("c1", CampaignKinds.Snapshot, CampaignStates.Failed, true, "c1", ["vg0/root"], ["sim-0002"], ["sim-0002"]);
        var run = new CampaignRun(CampaignPlanner.Plan("c2", Rollback("c1"), null, [], targets));
        var keys = new List<string>();
        while (run.State.Hosts[0].PendingKey is { } key)
        {
            keys.Add(key);
            run.Answer("sim-0002");
        }
        Assert.Equal(["c2/sim-0002/0-mark-merge/1", "c2/sim-0002/1-reboot/1", "c2/sim-0002/2-await-merge/1", "c2/sim-0002/3-hook/1"], keys);
        Assert.Equal(CampaignStates.Completed, run.State.State);
    }
}
