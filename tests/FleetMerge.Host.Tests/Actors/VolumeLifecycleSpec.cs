using Akka.Actor;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using FleetMerge.Storage;
using FleetMerge.Storage.Groups;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Actors;

/// <summary>The host agent and volume actors on a real volume group, with the in-memory journal.</summary>
public sealed class VolumeLifecycleSpec(ITestOutputHelper output) : HostSpec(output)
{
    [Fact]
    public async Task Create_snapshot_and_merge_journal_every_milestone()
    {
        await StartAgentAsync();
        var vg = await AskAsync<VgInfo>(new CreateVg("vg0"));
        Assert.Equal(("vg0", 0, 0), (vg.Name, vg.Volumes, vg.ActiveVolumes));

        var root = await AskAsync<LvRow>(new CreateLv("vg0", "root", 1 << 20));
        Assert.Equal(("root", "vg0", "-wi-a-----", 1L << 20, (string?)null), (root.Name, root.Vg, root.Attr, root.SizeBytes, root.Origin));
        Write("root", 0, Pattern(1, 1 << 20));

        var s1 = await AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s1", 2 << 20, 4096));
        Assert.Equal(("s1", "swi-a-s---", "root"), (s1.Name, s1.Attr, s1.Origin));
        Write("root", 0, Pattern(2, 1 << 20));
        Assert.Equal(Pattern(1, 1 << 20), Read("s1", 0, 1 << 20));

        var requested = await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin"));
        Assert.Equal(("vg0", "s1", "root", "nameorigin"), (requested.Vg, requested.Snapshot, requested.Origin, requested.Mode));
        Assert.Equal("running", requested.State);
        Assert.Equal(256, requested.InitialExceptions);

        var done = await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.Equal((100.0, 256L, true, (string?)null), (done.Percent, done.MergedExceptions, done.SnapshotRemoved, done.Error));
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
        Assert.Equal(["root"], Catalog.Lvs("vg0").Select(r => r.Name));

        string pid = VolumeActor.PersistenceIdFor(vg.Uuid, root.Uuid);
        var events = Journal(pid);
        Assert.Equal(["VolumeCreated", "ActivationChanged", "SnapshotTaken", "MergeRequested", "MergeStarted"], Kinds(events).Take(5));
        Assert.Equal("MergeCompleted", Kinds(events)[^1]);
        Assert.All(events.Skip(5).SkipLast(1), e => Assert.IsType<MergeProgressed>(e));
        Assert.False(((MergeCompleted)events[^1]).FoundOnDisk);

        // A second merge of the same snapshot: it is gone.
        var gone = await Assert.ThrowsAsync<VolumeNotFoundException>(() => AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin")));
        Assert.Contains("vg0/s1", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_replied_and_not_journaled()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        string pid = VolumeActor.PersistenceIdFor(Group().Uuid, root.Uuid);
        int before = Journal(pid).Count;

        await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "onactivate"));
        var second = await Assert.ThrowsAsync<MergeRuleException>(() => AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin")));
        Assert.Contains("already requested", second.Message, StringComparison.Ordinal);
        var snapshot = await Assert.ThrowsAsync<MergeRuleException>(() => AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s2", 1 << 20, 4096)));
        Assert.Contains("merging", snapshot.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BadRequestException>(() => AskAsync<MergeState>(new RequestMerge("vg0", "s1", "sideways")));
        await Assert.ThrowsAsync<BadRequestException>(() => AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s3", 1 << 20, 3000)));
        await Assert.ThrowsAsync<BadNameException>(() => AskAsync<LvRow>(new CreateLv("vg0", "bad/name", 1 << 20)));
        await Assert.ThrowsAsync<VolumeNotFoundException>(() => AskAsync<LvRow>(new RenameLv("vg9", "root", "x")));

        Assert.Equal(["MergeRequested", "MergeMarkedOnActivate"], Kinds(Journal(pid).Skip(before)));
        Assert.Equal("Owi-a-s---", Catalog.Lvs("vg0").Single(r => r.Name == "root").Attr);
        Assert.Equal("Swi-a-s---", Catalog.Lvs("vg0").Single(r => r.Name == "s1").Attr);
    }

    [Fact]
    public async Task Rename_remove_and_activation_are_journaled()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        string pid = VolumeActor.PersistenceIdFor(Group().Uuid, root.Uuid);

        Assert.Equal("before", (await AskAsync<LvRow>(new RenameLv("vg0", "s1", "before"))).Name);
        Assert.Equal("owi---s---", (await AskAsync<LvRow>(new DeactivateLv("vg0", "root"))).Attr);
        Assert.Equal('a', (await AskAsync<LvRow>(new ActivateLv("vg0", "before"))).Attr[4]);
        await AskAsync<LvRemoved>(new RemoveLv("vg0", "before"));
        var busy = await Assert.ThrowsAsync<VolumeBusyException>(async () =>
        {
            using var session = Group().Open("root");
            await AskAsync<LvRemoved>(new RemoveLv("vg0", "root"));
        });
        Assert.Contains("open", busy.Message, StringComparison.Ordinal);

        var view = await ViewAsync(root.Uuid);
        Assert.Empty(view.State.Snapshots);
        Assert.True(view.State.Active);
        Assert.Equal(["VolumeCreated", "ActivationChanged", "SnapshotTaken", "VolumeRenamed", "ActivationChanged", "ActivationChanged", "SnapshotRemoved"],
            Kinds(Journal(pid)));

        var actor = await VolumeActorAsync(root.Uuid);
        Watch(actor);
        await AskAsync<LvRemoved>(new RemoveLv("vg0", "root"));
        ExpectTerminated(actor, Timeout);
        Assert.Equal("VolumeRemoved", Kinds(Journal(pid))[^1]);
        Assert.Empty(Catalog.Lvs("vg0"));
    }

    [Fact]
    public async Task Vg_activation_and_deactivation_reach_every_family()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "onactivate"));

        await AskAsync<VgDeactivated>(new DeactivateVg("vg0"));
        Assert.Equal(0, (await AskAsync<VgList>(ListVgs.Instance)).Vgs.Single().ActiveVolumes);
        var activated = await AskAsync<VgActivated>(new ActivateVg("vg0"));
        Assert.Equal(["s1"], activated.StartedMerges);

        var done = await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.True(done.SnapshotRemoved);
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
        var kinds = Kinds(Journal(VolumeActor.PersistenceIdFor(Group().Uuid, root.Uuid)));
        Assert.Equal(["MergeRequested", "MergeMarkedOnActivate", "ActivationChanged", "ActivationChanged", "MergeStarted"],
            kinds.SkipWhile(k => k != "MergeRequested").Take(5));
        Assert.Equal("MergeCompleted", kinds[^1]);
    }
}
