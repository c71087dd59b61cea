using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class StepDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static HostStep Step(string key, string kind, string host = "h1") =>
        new(key, "c1", host, kind, ["vg0/root"], "c1", "20%", 4096, kind == StepKinds.Hook ? "upgrade" : null, [], TimeSpan.FromMinutes(1));

    [Fact]
    public void A_step_for_another_host_is_refused()
    {
        var decision = StepDecisions.Decide(Step("k", StepKinds.Preflight, host: "h2"), "h1", HostStepLedger.Empty(), running: false);
        Assert.Equal(StepAction.Refuse, decision.Action);
        Assert.Equal("this is the agent of host h1, not of h2", decision.Reason);
    }

    [Fact]
    public void New_finished_and_running_keys()
    {
        var ledger = HostStepLedger.Empty()
            .Apply(new StepAccepted("done", StepKinds.Hook, T0))
            .Apply(new StepFinished("done", false, "upgrade hook failed (exit 3)", T0));
        Assert.Equal(StepAction.Run, StepDecisions.Decide(Step("new", StepKinds.Hook), "h1", ledger, running: false).Action);
        var replay = StepDecisions.Decide(Step("done", StepKinds.Hook), "h1", ledger, running: false);
        Assert.Equal((StepAction.Replay, false, "upgrade hook failed (exit 3)"), (replay.Action, replay.Recorded!.Ok, replay.Recorded.Detail));
        var open = ledger.Apply(new StepAccepted("now", StepKinds.Hook, T0));
        Assert.Equal(StepAction.Join, StepDecisions.Decide(Step("now", StepKinds.Hook), "h1", open, running: true).Action);
    }

    [Theory]
    [InlineData(StepKinds.Preflight)]
    [InlineData(StepKinds.Snapshot)]
    [InlineData(StepKinds.MarkMerge)]
    [InlineData(StepKinds.AwaitMerge)]
    [InlineData(StepKinds.RemoveSnapshot)]
    public void An_idempotent_step_cut_short_by_a_restart_runs_again(string kind)
    {
        var ledger = HostStepLedger.Empty().Apply(new StepAccepted("k", kind, T0)).Apply(new IncarnationStarted(2, T0));
        Assert.Equal(StepAction.Rerun, StepDecisions.Decide(Step("k", kind), "h1", ledger, running: false).Action);
    }

    [Fact]
    public void A_hook_cut_short_fails_and_a_reboot_cut_short_has_happened()
    {
        var ledger = HostStepLedger.Empty()
            .Apply(new StepAccepted("hook", StepKinds.Hook, T0))
            .Apply(new StepAccepted("reboot", StepKinds.Reboot, T0))
            .Apply(new IncarnationStarted(4, T0));
        var hook = StepDecisions.Decide(Step("hook", StepKinds.Hook), "h1", ledger, running: false);
        Assert.Equal((StepAction.Finish, new StepOutcome(false, "interrupted by a host restart")), (hook.Action, hook.Outcome));
        var reboot = StepDecisions.Decide(Step("reboot", StepKinds.Reboot), "h1", ledger, running: false);
        Assert.Equal((StepAction.Finish, new StepOutcome(true, "host restarted (incarnation 4)")), (reboot.Action, reboot.Outcome));
    }
}
