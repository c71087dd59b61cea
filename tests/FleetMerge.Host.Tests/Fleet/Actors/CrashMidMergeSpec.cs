using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>
/// crash-mid-merge: at the reboot the host agent is stopped abruptly once the merge has copied
/// something, and started again; the merge resumes from the COW table and the origin ends with the
/// bytes from before the upgrade. The origin is big enough (24 MiB, a 20 MiB release) for the merge
/// to take more than one group of batches, and the copy rate is limited so the crash lands mid-merge.
/// </summary>
public sealed class CrashMidMergeSpec(ITestOutputHelper output) : FleetSpec(output)
{
    [Fact]
    public async Task A_crash_in_the_middle_of_the_merge_still_ends_with_the_right_bytes()
    {
        var fleet = Fleet(1, DataDirectory) with
        {
            OriginBytes = 24L << 20,
            CapacityBytes = 128L << 20,
            UpgradePages = 5,
            UpgradePageBytes = 4 << 20,
            Faults = "crash-mid-merge=sim-0001",
        };
        var host = SimulatedHost(fleet);
        var actor = StartSimulated(host, HostSpec.Fast with { MergeMaxBytesPerSecond = 8L << 20 });
        NextReport();
        string before = HashOfOrigin(host);

        await OkAsync(actor, Step("k1", host.HostId, StepKinds.Snapshot));
        await OkAsync(actor, Step("k2", host.HostId, StepKinds.Hook, HookNames.Upgrade));
        Assert.NotEqual(before, HashOfOrigin(host));
        await OkAsync(actor, Step("k3", host.HostId, StepKinds.MarkMerge));

        string reboot = await OkAsync(actor, Step("k4", host.HostId, StepKinds.Reboot));
        Assert.Matches(@"^rebooted \(incarnation 3\); the host agent was stopped abruptly while vg0/root was merging \([0-9.]+%\) and started again \(crash-mid-merge\)$", reboot);
        Assert.StartsWith("merged: vg0/root-c1 (", await OkAsync(actor, Step("k5", host.HostId, StepKinds.AwaitMerge)));
        Assert.Equal(before, HashOfOrigin(host));

        // The fault fires once: the next reboot is a plain one.
        Assert.Equal("rebooted (incarnation 4)", await OkAsync(actor, Step("k6", host.HostId, StepKinds.Reboot)));
    }
}
