using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>Preflight refusals, timeouts and refused removals on a simulated host.</summary>
public sealed class StepRefusalsSpec(ITestOutputHelper output) : FleetSpec(output)
{
    private static async Task<string> FailedAsync(Akka.Actor.IActorRef host, HostStep step)
    {
        var result = await RunAsync(host, step);
        Assert.False(result.Ok, $"step {step.Key} should have failed: {result.Detail}");
        return result.Detail;
    }

    [Fact]
    public async Task Preflight_refuses_what_cannot_be_rolled_back()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        Assert.Equal("preflight: not enough free space: the snapshots need 200 MiB of COW, 60 MiB free",
            await FailedAsync(actor, Step("p1", host.HostId, StepKinds.Preflight, size: "200M")));
        Assert.Equal("preflight: vg0/nope: no such volume",
            await FailedAsync(actor, Step("p2", host.HostId, StepKinds.Preflight, volumes: ["vg0/nope"])));

        await OkAsync(actor, Step("s", host.HostId, StepKinds.Snapshot));
        Assert.Equal("preflight: vg0/root-c1 is a snapshot, not an origin",
            await FailedAsync(actor, Step("p3", host.HostId, StepKinds.Preflight, volumes: ["vg0/root-c1"])));
        await OkAsync(actor, Step("m", host.HostId, StepKinds.MarkMerge));
        Assert.Equal("preflight: vg0/root is merging (or marked to merge) from vg0/root-c1",
            await FailedAsync(actor, Step("p4", host.HostId, StepKinds.Preflight, campaign: "c2")));
    }

    [Fact]
    public async Task A_merging_snapshot_or_an_origin_is_not_removed()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        await OkAsync(actor, Step("s", host.HostId, StepKinds.Snapshot));
        await OkAsync(actor, Step("m", host.HostId, StepKinds.MarkMerge));
        Assert.Equal("remove-snapshot: vg0/root-c1 is merging (or marked to merge) into vg0/root; it goes away when the merge completes",
            await FailedAsync(actor, Step("r1", host.HostId, StepKinds.RemoveSnapshot)));
        Assert.Equal("remove-snapshot: vg0/root is not a snapshot; only snapshots are removed",
            await FailedAsync(actor, Step("r2", host.HostId, StepKinds.RemoveSnapshot, snapshots: ["vg0/root"])));
    }

    [Fact]
    public async Task A_snapshot_that_is_not_merged_is_removed_by_name_or_by_tag()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        await OkAsync(actor, Step("s1", host.HostId, StepKinds.Snapshot, campaign: "c1"));
        await OkAsync(actor, Step("s2", host.HostId, StepKinds.Snapshot, campaign: "c2", size: "1M"));
        Assert.Equal("remove-snapshot: vg0/root-c1 removed", await OkAsync(actor, Step("r1", host.HostId, StepKinds.RemoveSnapshot, campaign: "c1")));
        Assert.Equal("remove-snapshot: vg0/root-c2 removed; vg0/root-c1 already gone",
            await OkAsync(actor, Step("r2", host.HostId, StepKinds.RemoveSnapshot, snapshots: ["vg0/root-c2", "vg0/root-c1"])));
        Assert.Equal("root", Assert.Single(NextReport(r => r.Volumes.Count == 1).Volumes).Name);
    }

    [Fact]
    public async Task Every_step_is_bounded_by_its_timeout()
    {
        var slowHost = SimulatedHost(Fleet(2, DataDirectory) with { Faults = "slow=sim-0002:20s" }, index: 1);
        var slow = StartSimulated(slowHost);
        Assert.Equal("preflight: timed out after 1s while waiting out the simulated slowness (20s)",
            await FailedAsync(slow, Step("t1", slowHost.HostId, StepKinds.Preflight, timeout: TimeSpan.FromSeconds(1))));

        var host = SimulatedHost(Fleet(2, DataDirectory), index: 0);
        var actor = StartSimulated(host);
        await OkAsync(actor, Step("s", host.HostId, StepKinds.Snapshot));
        await OkAsync(actor, Step("m", host.HostId, StepKinds.MarkMerge));
        // No reboot: the merge waits for the next activation, so await-merge waits until its timeout.
        Assert.Equal("await-merge: timed out after 1s while waiting for the merge of vg0/root-c1: pending 0%",
            await FailedAsync(actor, Step("a1", host.HostId, StepKinds.AwaitMerge, timeout: TimeSpan.FromSeconds(1))));
        await OkAsync(actor, Step("r", host.HostId, StepKinds.Reboot));
        await OkAsync(actor, Step("a2", host.HostId, StepKinds.AwaitMerge));
    }

    [Fact]
    public async Task Unknown_kinds_and_missing_fields_fail_clearly()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        Assert.Equal("unknown step kind 'defrag' (known: preflight, snapshot, hook, mark-merge, reboot, await-merge, remove-snapshot)",
            await FailedAsync(actor, Step("u", host.HostId, "defrag")));
        Assert.Equal("hook: the step names no hook", await FailedAsync(actor, Step("h", host.HostId, StepKinds.Hook)));
        Assert.Equal("no reboot hook on simulated host sim-0001 (built in: upgrade, health; a reboot is the reboot step)",
            await FailedAsync(actor, Step("h2", host.HostId, StepKinds.Hook, HookNames.Reboot)));
        Assert.Equal("snapshot: volume 'root': expected VG/LV", await FailedAsync(actor, Step("v", host.HostId, StepKinds.Snapshot, volumes: ["root"])));
        Assert.Equal("await-merge: vg0/root-c1: no such snapshot and no merge of it is known", await FailedAsync(actor, Step("a", host.HostId, StepKinds.AwaitMerge)));
    }
}
