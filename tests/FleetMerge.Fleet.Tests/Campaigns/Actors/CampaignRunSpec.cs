using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Actors;

/// <summary>Campaigns over twenty fake hosts through the coordinator: waves, lost deliveries, the failure budget, the automatic rollback.</summary>
public sealed class CampaignRunSpec(ITestOutputHelper output) : CampaignSpecBase(output)
{
    [Fact]
    public async Task Canary_first_then_waves_in_order_with_lost_and_refused_deliveries_sent_again_under_the_same_key()
    {
        StartFleet(20, (step, delivery) =>
            (step.HostId is "sim-0004" or "sim-0011") && delivery == 1 ? FakeAnswer.Lost
            : step.HostId == "sim-0015" && delivery <= 2 ? FakeAnswer.Refuse("host sim-0015 is restarting its agent")
            : step.HostId == "sim-0009" && step.Hook == HookNames.Upgrade ? FakeAnswer.Fail("upgrade exited 3")
            : FakeAnswer.Ok_,
            delay: TimeSpan.FromMilliseconds(20), canaries: ["sim-0007", "sim-0013"]);
        StartCoordinator();

        var accepted = await StartAsync(Snapshot(canary: 2, waveSize: "6", maxInFlight: 3, budget: "2", upgrade: true));
        Assert.Equal(("c1", 20), (accepted.Id, accepted.Hosts));
        var view = await WaitForEndAsync("c1");

        Assert.Equal(CampaignStates.Completed, view.State);
        Assert.Equal(["sim-0007", "sim-0013"], view.Waves[0].Hosts);
        Assert.Equal(["canary", "wave 2", "wave 3", "wave 4"], view.Waves.Select(w => w.Name));
        Assert.Equal(["sim-0009"], Outcomes(view, HostOutcomes.Failed));
        Assert.Equal(("hook upgrade", "upgrade exited 3"), (view.Hosts.Single(h => h.HostId == "sim-0009").Step, view.Hosts.Single(h => h.HostId == "sim-0009").Detail));
        Assert.Equal(19, Outcomes(view, HostOutcomes.Succeeded).Count);

        var log = await FleetLogAsync();
        Assert.All(log.Executions, e => Assert.Equal(1, e.Value));
        Assert.All(HostIds(20), h => Assert.Equal(3, log.KeysOf(h).Count));
        Assert.All(log.Executions.Keys.Where(k => k.Contains("/sim-0004/", StringComparison.Ordinal)), k => Assert.True(log.Deliveries[k] >= 2, k));
        Assert.All(log.Executions.Keys.Where(k => k.Contains("/sim-0015/", StringComparison.Ordinal)), k => Assert.True(log.Deliveries[k] >= 3, k));
        Assert.Equal(["c1/sim-0009/0-preflight/1", "c1/sim-0009/1-snapshot/1", "c1/sim-0009/2-hook/1"], log.KeysOf("sim-0009"));

        // From the hosts' side: at most three hosts busy at once, and no host of a wave starts before the one before has ended.
        var waveOf = view.Hosts.ToDictionary(h => h.HostId, h => h.Wave);
        var busy = new HashSet<string>();
        var ended = new HashSet<string>();
        int most = 0;
        foreach (var (what, step) in log.Events)
        {
            if (what == "start")
            {
                Assert.All(view.Hosts.Where(h => h.Wave < waveOf[step.HostId]), h => Assert.Contains(h.HostId, ended));
                busy.Add(step.HostId);
                most = Math.Max(most, busy.Count);
            }
            else if (step.Key.Contains("/2-hook/", StringComparison.Ordinal))
            {
                busy.Remove(step.HostId);
                ended.Add(step.HostId);
            }
        }
        Assert.InRange(most, 2, 3); // 3 unless the machine is too slow to overlap the 20 ms steps
    }

    [Fact]
    public async Task A_spent_budget_halts_the_campaign_and_the_automatic_rollback_takes_the_failed_hosts_with_a_snapshot()
    {
        StartFleet(10, (step, _) =>
            step.HostId is "sim-0002" or "sim-0003" && step.Hook == HookNames.Upgrade ? FakeAnswer.Fail("upgrade broke the host")
            : step.HostId == "sim-0005" && step.Kind == StepKinds.Preflight ? FakeAnswer.Fail("no space for 20%")
            : FakeAnswer.Ok_,
            delay: TimeSpan.FromMilliseconds(20));
        StartCoordinator();

        await StartAsync(Snapshot(maxInFlight: 2, budget: "1", upgrade: true, autoRollback: true));
        var c1 = await WaitForAsync("c1", v => v.EndedAt is not null && v.FollowUp is not null);
        Assert.Equal(CampaignStates.Failed, c1.State);
        Assert.StartsWith("failure budget spent: 2 hosts failed (sim-0002, ", c1.Halted, StringComparison.Ordinal);
        Assert.EndsWith("), 1 allowed", c1.Halted, StringComparison.Ordinal);
        Assert.Equal("c2", c1.FollowUp);
        Assert.Contains(HostOutcomes.Skipped, c1.Hosts.Select(h => h.Outcome));
        Assert.True(c1.FailuresSeen <= c1.FailuresAllowed + 2, $"{c1.FailuresSeen} failures");
        var log = await FleetLogAsync();
        Assert.All(Outcomes(c1, HostOutcomes.Skipped), h => Assert.Empty(log.KeysOf(h)));

        var c2 = await WaitForEndAsync("c2");
        Assert.Equal((CampaignKinds.Rollback, "c1", "host=sim-0002|sim-0003", CampaignStates.Completed), (c2.Spec.Kind, c2.Spec.Of, c2.Spec.Hosts, c2.State));
        Assert.Equal(["sim-0002", "sim-0003"], c2.Hosts.Select(h => h.HostId));
        log = await FleetLogAsync();
        Assert.Equal(["c2/sim-0002/0-mark-merge/1", "c2/sim-0002/1-reboot/1", "c2/sim-0002/2-await-merge/1", "c2/sim-0002/3-hook/1"],
            log.KeysOf("sim-0002").Where(k => k.StartsWith("c2/", StringComparison.Ordinal)));
        Assert.All(log.Events.Where(e => e.Step.CampaignId == "c2"), e => Assert.Equal("c1", e.Step.SnapshotTag));

        var list = await AskAsync<CampaignList>(ListCampaigns.Instance);
        Assert.Equal([("c1", CampaignStates.Failed, (string?)null), ("c2", CampaignStates.Completed, "c1")], list.Campaigns.Select(c => (c.Id, c.State, c.Of)));
    }

    [Fact]
    public async Task A_thousand_hosts_in_one_wave_finish_with_every_step_run_once()
    {
        StartFleet(1000);
        StartCoordinator();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await StartAsync(Snapshot(budget: "0"));
        var view = await WaitForEndAsync("c1", TimeSpan.FromMinutes(2));
        Output.WriteLine($"1000 hosts x 2 steps: ended {view.State} in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(CampaignStates.Completed, view.State);
        Assert.Equal(1000, Outcomes(view, HostOutcomes.Succeeded).Count);
        var log = await FleetLogAsync();
        Assert.Equal(2000, log.Executions.Count);
        Assert.All(log.Executions, e => Assert.Equal(1, e.Value));
    }
}
