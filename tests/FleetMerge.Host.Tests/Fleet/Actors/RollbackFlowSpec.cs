using FleetMerge.Host.Fleet.Simulated;
using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>
/// The campaign path on a simulated host, step by step: snapshot → upgrade → health → mark-merge →
/// reboot → await-merge → health. The origin image file after the merge holds exactly the bytes it
/// held before the upgrade.
/// </summary>
public sealed class RollbackFlowSpec(ITestOutputHelper output) : FleetSpec(output)
{
    [Fact]
    public async Task A_rollback_by_merge_brings_back_the_bytes_from_before_the_upgrade()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        var first = NextReport();
        Assert.Equal(("sim-0001", 1L, true, 60L << 20), (first.HostId, first.Incarnation, first.Simulated, first.FreeBytes));
        Assert.Equal("canary=true,env=sim,rack=r0", string.Join(",", first.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
        var root = Assert.Single(first.Volumes);
        Assert.Equal(("root", "vg0", "-wi-a-----", 4L << 20), (root.Name, root.Vg, root.Attr, root.SizeBytes));
        Assert.StartsWith("akka://", first.Node, StringComparison.Ordinal);

        string before = HashOfOrigin(host);
        Assert.Equal(Hash(SimulatedDisk.Image(host.HostId, host.OriginBytes)), before);

        Assert.Equal("preflight ok: 1 volume; the snapshots need 4 MiB of COW, 60 MiB free", await OkAsync(actor, Step("k1", host.HostId, StepKinds.Preflight)));
        Assert.Equal("snapshot: vg0/root-c1 taken (4 MiB of COW)", await OkAsync(actor, Step("k2", host.HostId, StepKinds.Snapshot)));
        var afterSnapshot = NextReport(r => r.Volumes.Count == 2);
        Assert.Equal(56L << 20, afterSnapshot.FreeBytes);

        Assert.Equal("upgrade hook ok: release c1 installed (64 pages)", await OkAsync(actor, Step("k3", host.HostId, StepKinds.Hook, HookNames.Upgrade)));
        Assert.NotEqual(before, HashOfOrigin(host));
        Assert.Equal("health hook ok: release c1", await OkAsync(actor, Step("k4", host.HostId, StepKinds.Hook, HookNames.Health)));

        Assert.Equal("mark-merge: vg0/root-c1 marked to merge at the next activation", await OkAsync(actor, Step("k5", host.HostId, StepKinds.MarkMerge)));
        Assert.Equal("rebooted (incarnation 2)", await OkAsync(actor, Step("k6", host.HostId, StepKinds.Reboot)));
        Assert.StartsWith("merged: vg0/root-c1 (", await OkAsync(actor, Step("k7", host.HostId, StepKinds.AwaitMerge)));

        Assert.Equal(before, HashOfOrigin(host));
        Assert.Equal("health hook ok: the original image (no release installed)", await OkAsync(actor, Step("k8", host.HostId, StepKinds.Hook, HookNames.Health)));
        Assert.Equal("remove-snapshot: vg0/root-c1 already gone", await OkAsync(actor, Step("k9", host.HostId, StepKinds.RemoveSnapshot)));
        var last = NextReport(r => r.Incarnation == 2 && r.Volumes.Count == 1);
        Assert.Equal(60L << 20, last.FreeBytes);
    }

    [Fact]
    public async Task A_broken_upgrade_fails_health_until_the_rollback()
    {
        var host = SimulatedHost(Fleet(2, DataDirectory) with { Faults = "upgrade-breaks=sim-0002" }, index: 1);
        var actor = StartSimulated(host);
        NextReport();
        string before = HashOfOrigin(host);

        await OkAsync(actor, Step("k1", host.HostId, StepKinds.Snapshot));
        Assert.Equal("upgrade hook ok: release c1 installed (64 pages), marked BROKEN (simulated fault upgrade-breaks)",
            await OkAsync(actor, Step("k2", host.HostId, StepKinds.Hook, HookNames.Upgrade)));
        var health = await RunAsync(actor, Step("k3", host.HostId, StepKinds.Hook, HookNames.Health));
        Assert.Equal((false, "health hook failed: release c1 is BROKEN"), (health.Ok, health.Detail));

        await OkAsync(actor, Step("k4", host.HostId, StepKinds.MarkMerge));
        await OkAsync(actor, Step("k5", host.HostId, StepKinds.Reboot));
        await OkAsync(actor, Step("k6", host.HostId, StepKinds.AwaitMerge));
        Assert.Equal(before, HashOfOrigin(host));
        Assert.Equal("health hook ok: the original image (no release installed)", await OkAsync(actor, Step("k7", host.HostId, StepKinds.Hook, HookNames.Health)));
    }

    [Fact]
    public async Task A_failed_upgrade_wrote_half_and_the_rollback_undoes_it()
    {
        var host = SimulatedHost(Fleet(3, DataDirectory) with { Faults = "upgrade-fails=sim-0003;health-fails=sim-0003" }, index: 2);
        var actor = StartSimulated(host);
        NextReport();
        string before = HashOfOrigin(host);

        await OkAsync(actor, Step("k1", host.HostId, StepKinds.Snapshot));
        var upgrade = await RunAsync(actor, Step("k2", host.HostId, StepKinds.Hook, HookNames.Upgrade));
        Assert.Equal((false, "upgrade hook failed: release c1 stopped after 32 of 64 pages (simulated fault upgrade-fails)"), (upgrade.Ok, upgrade.Detail));
        Assert.NotEqual(before, HashOfOrigin(host));
        var health = await RunAsync(actor, Step("k3", host.HostId, StepKinds.Hook, HookNames.Health));
        Assert.Equal((false, "health hook failed: simulated fault health-fails"), (health.Ok, health.Detail));

        await OkAsync(actor, Step("k4", host.HostId, StepKinds.MarkMerge));
        await OkAsync(actor, Step("k5", host.HostId, StepKinds.Reboot));
        await OkAsync(actor, Step("k6", host.HostId, StepKinds.AwaitMerge));
        Assert.Equal(before, HashOfOrigin(host));
    }

    [Fact]
    public async Task Re_creating_a_host_gives_the_same_bytes()
    {
        var host = SimulatedHost();
        var actor = StartSimulated(host);
        NextReport();
        string first = HashOfOrigin(host);
        Stop(actor);
        Directory.Delete(host.Directory, recursive: true);

        StartSimulated(host);
        NextReport(r => r.Volumes.Count == 1);
        Assert.Equal(first, HashOfOrigin(host));
    }
}
