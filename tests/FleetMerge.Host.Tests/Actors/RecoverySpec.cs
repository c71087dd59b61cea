using Akka.Actor;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using FleetMerge.Storage.Groups;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Actors;

/// <summary>
/// Node restarts: the host agent is stopped (its groups closed like a process exit) and a new one
/// starts on the same data directory, with the journal of the same (in-memory) store.
/// </summary>
public sealed class RecoverySpec(ITestOutputHelper output) : HostSpec(output)
{
    [Fact]
    public async Task Recovery_from_the_journal_and_an_akka_snapshot_agrees_with_the_disk()
    {
        var settings = Fast with { SnapshotEvery = 3 };
        await StartAgentAsync(settings);
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        await AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s2", 1 << 20, 8192));
        await AskAsync<LvRow>(new RenameLv("vg0", "s2", "nightly"));
        await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "onactivate"));
        var before = await ViewAsync(root.Uuid);
        StopAgent();

        // Deactivated and inactive on disk in between: a restart activates everything again.
        await StartAgentAsync(settings);
        var after = await ViewAsync(root.Uuid);
        Assert.NotNull(after.RecoveredFromSnapshotAt);
        Assert.True(after.ReplayedEvents < after.LastSequenceNr, $"replayed {after.ReplayedEvents} of {after.LastSequenceNr}");
        Assert.Equal(before.State.Snapshots, after.State.Snapshots);
        Assert.Equal(("root", true), (after.State.Origin, after.State.Active));
        // The onactivate merge started with the boot; that is the one thing the journal learns.
        Assert.Equal(["the merge of vg0/s1 (onactivate) starts with this activation at 0%"], after.RecoveryFindings);
        var done = await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.Equal("onactivate", done.Mode);
        Assert.Equal(["nightly", "root"], Catalog.Lvs("vg0").Select(r => r.Name));
    }

    [Fact]
    public async Task An_onactivate_merge_runs_at_the_next_start_without_anyone_asking()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        var requested = await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "onactivate"));
        Assert.Equal(("pending", 0.0), (requested.State, requested.Percent));
        Assert.Equal(Pattern(2, 1 << 20), Read("root", 0, 1 << 20));
        StopAgent();

        await StartAgentAsync();
        var done = await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.True(done.SnapshotRemoved);
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
        var kinds = Kinds(Journal(VolumeActor.PersistenceIdFor(Group().Uuid, root.Uuid)));
        // A process exit is not a deactivation: the journal still says active, and so does the boot.
        Assert.Equal(["MergeRequested", "MergeMarkedOnActivate", "MergeStarted"], kinds.SkipWhile(k => k != "MergeRequested").Take(3));
        Assert.Equal("MergeCompleted", kinds[^1]);
    }

    [Fact]
    public async Task The_disk_finished_the_merge_while_the_journal_only_had_started()
    {
        // The disk: a merge run to the end by the engine alone (as if the node died after the copy
        // but before it could journal the completion).
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        var group = Group();
        string vgUuid = group.Uuid;
        var s1 = group.Metadata.Find("s1")!;
        string pid = VolumeActor.PersistenceIdFor(vgUuid, root.Uuid);
        StopAgent();
        using (var offline = VolumeGroup.Load(Path.Combine(VgsDirectory, "vg0")))
        {
            offline.Activate("root");
            Assert.True(offline.Merge("s1")!.Run());
        }

        // The journal: the merge started and one checkpoint at 40%.
        var seeder = Sys.ActorOf(JournalSeeder.Props(pid, [
            new MergeRequested(s1.Uuid, "s1", "nameorigin", Adopted: false),
            new MergeStarted(s1.Uuid, "s1", "nameorigin", 256, 256, "", Resumed: false, DateTimeOffset.UtcNow),
            new MergeProgressed(s1.Uuid, 256, 154, "", DateTimeOffset.UtcNow)]));
        await seeder.Ask<long>("go", Timeout);
        Sys.Stop(seeder);

        await StartAgentAsync();
        var view = await ViewAsync(root.Uuid);
        Assert.Contains("journal says the merge of vg0/s1 was running at 39.8%, the disk has no s1: the merge completed", view.RecoveryFindings);
        var completed = Assert.IsType<MergeCompleted>(Journal(pid)[^1]);
        Assert.True(completed.FoundOnDisk);
        var merge = (await AskAsync<MergeStateReply>(new GetMergeState("vg0", "s1"))).Merge!;
        Assert.Equal(("complete", 100.0, true), (merge.State, merge.Percent, merge.SnapshotRemoved));
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
    }

    [Fact]
    public async Task A_volume_with_no_journal_is_adopted_from_the_disk()
    {
        Directory.CreateDirectory(VgsDirectory);
        string originUuid;
        using (var offline = VolumeGroup.Create(Path.Combine(VgsDirectory, "vg0"), "vg0"))
        {
            offline.CreateOrigin("root", 1 << 20);
            offline.CreateSnapshot("root", "s1", 2 << 20);
            originUuid = offline.Metadata.Find("root")!.Uuid;
        }
        await StartAgentAsync();
        var view = await ViewAsync(originUuid);
        Assert.Equal(VolumeOrigins.Adopted, Assert.IsType<VolumeCreated>(Journal(view.PersistenceId)[0]).How);
        Assert.Equal(["no journal for vg0/root: adopting the disk's state", "the disk has snapshot vg0/s1 the journal lacks: adopted"], view.RecoveryFindings);
        Assert.Equal(["root", "s1"], Catalog.Lvs(null).Select(r => r.Name));
        Assert.All(Catalog.Lvs(null), r => Assert.Equal('a', r.Attr[4]));
    }
}
