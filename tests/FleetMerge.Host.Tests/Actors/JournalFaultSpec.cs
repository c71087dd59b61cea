using Akka.Actor;
using Akka.Persistence.TestKit;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Actors;

/// <summary>Journal writes that fail (Akka.Persistence.TestKit's TestJournal, wired by hand: akka-stack notes pitfall 11).</summary>
public sealed class JournalFaultSpec(ITestOutputHelper output) : HostSpec(output, TestJournalConfig)
{
    private const string TestJournalConfig = """
        akka.loglevel = INFO
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private ITestJournal TestJournal => Akka.Persistence.TestKit.TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    [Fact]
    public async Task A_failed_merge_request_write_stops_the_actor_and_merges_nothing()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        var actor = await VolumeActorAsync(root.Uuid);
        Watch(actor);

        await TestJournal.OnWrite.Fail();
        var error = await Assert.ThrowsAsync<VolumeJournalException>(() => AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin")));
        Assert.StartsWith("vg0/root: the journal could not record the merge request for vg0/s1 (", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed; the volume actor stopped", error.Message, StringComparison.Ordinal);
        ExpectTerminated(actor, Timeout);

        // The data: no merge mark, the origin and the snapshot read as before.
        Assert.Null(Group().Metadata.Find("s1")!.Merge);
        Assert.Equal(Pattern(2, 1 << 20), Read("root", 0, 1 << 20));
        Assert.Equal(Pattern(1, 1 << 20), Read("s1", 0, 1 << 20));
        Assert.Equal("swi-a-s---", Catalog.Lvs("vg0").Single(r => r.Name == "s1").Attr);

        // With the journal back, the next command starts the actor again and the merge goes through.
        await TestJournal.OnWrite.Pass();
        await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin"));
        await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
    }

    [Fact]
    public async Task A_failed_merge_start_write_leaves_the_snapshot_for_the_next_start_to_merge()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        var actor = await VolumeActorAsync(root.Uuid);
        Watch(actor);

        // The copy runs while MergeStarted is written; the snapshot may go only once that write is
        // in. The write fails a second late, long after the copy of 1 MiB is over.
        await TestJournal.OnWrite.FailIfWithDelay(TimeSpan.FromSeconds(1), p => p.Payload is MergeStarted);
        var error = await Assert.ThrowsAsync<VolumeJournalException>(() => AskAsync<MergeState>(new RequestMerge("vg0", "s1", "nameorigin")));
        Assert.StartsWith("vg0/root: the journal could not record the start of the merge of vg0/s1 (", error.Message, StringComparison.Ordinal);
        ExpectTerminated(actor, Timeout);
        Assert.NotNull(Group().Metadata.Find("s1"));
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20)); // the merge target reads the snapshot's data

        // With the journal back, the next start resumes the merge and the journal tells it in order.
        await TestJournal.OnWrite.Pass();
        await WaitForMergeAsync("s1", m => m.State == "complete");
        Assert.Null(Group().Metadata.Find("s1"));
        Assert.Equal(Pattern(1, 1 << 20), Read("root", 0, 1 << 20));
        var kinds = Journal(VolumeActor.PersistenceIdFor(Group().Uuid, root.Uuid)).Select(e => e.GetType().Name).ToList();
        Assert.True(kinds.IndexOf("MergeStarted") is > 0 and var started && started < kinds.IndexOf("MergeCompleted"), string.Join(", ", kinds));
    }

    /// <summary>Holds MergeCompleted writes until released: the moment between the disk's rename and the actor's re-key.</summary>
    private sealed class HoldMergeCompleted : IJournalInterceptor
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task InterceptAsync(Akka.Persistence.IPersistentRepresentation message)
        {
            if (message.Payload is MergeCompleted) await Release.Task;
        }
    }

    [Fact]
    public async Task A_namesnapshot_merge_asked_about_between_the_rename_on_disk_and_the_journal_is_answered_by_its_family()
    {
        await StartAgentAsync();
        await SetUpOriginWithSnapshotAsync(1, 2);
        string snapshotUuid = Group().Metadata.Find("s1")!.Uuid;
        var hold = new HoldMergeCompleted();
        await TestJournal.OnWrite.SetInterceptorAsync(hold);

        await AskAsync<MergeState>(new RequestMerge("vg0", "s1", "namesnapshot"));
        // On disk the merge is over: the origin now carries the snapshot's name and UUID; the journal has not heard yet.
        await AwaitConditionAsync(() => Task.FromResult(Group().Metadata.Find("s1") is { Kind: Storage.Groups.VolumeKind.Origin }), Timeout);

        var asked = AskAsync<MergeStateReply>(new GetMergeState("vg0", "s1"));
        hold.Release.SetResult();
        var merge = (await asked).Merge;

        Assert.Equal(("complete", "s1"), (merge?.State, merge?.Snapshot));
        Assert.Equal(Pattern(1, 1 << 20), Read("s1", 0, 1 << 20));
        // No second actor was started for the family under the snapshot's UUID.
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection($"{Agent.Path}/volume-{snapshotUuid}-*").ResolveOne(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_failed_snapshot_write_undoes_the_snapshot()
    {
        await StartAgentAsync();
        var root = await SetUpOriginWithSnapshotAsync(1, 2);
        var actor = await VolumeActorAsync(root.Uuid);
        Watch(actor);

        await TestJournal.OnWrite.Fail();
        var error = await Assert.ThrowsAsync<VolumeJournalException>(() => AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s2", 1 << 20, 4096)));
        Assert.Contains("could not record snapshot vg0/s2", error.Message, StringComparison.Ordinal);
        Assert.Contains("the change was undone", error.Message, StringComparison.Ordinal);
        ExpectTerminated(actor, Timeout);
        Assert.Null(Group().Metadata.Find("s2"));
        Assert.False(File.Exists(Path.Combine(VgsDirectory, "vg0", "s2.cow")));
        Assert.Equal(Pattern(2, 1 << 20), Read("root", 0, 1 << 20));
        await TestJournal.OnWrite.Pass();
    }

    [Fact]
    public async Task A_failed_creation_write_removes_the_new_volume()
    {
        await StartAgentAsync();
        await AskAsync<VgInfo>(new CreateVg("vg0"));
        await TestJournal.OnWrite.Fail();
        var error = await Assert.ThrowsAsync<VolumeJournalException>(() => AskAsync<LvRow>(new CreateLv("vg0", "root", 1 << 20)));
        Assert.Contains("the creation of vg0/root", error.Message, StringComparison.Ordinal);
        await TestJournal.OnWrite.Pass();
        Assert.Empty(Catalog.Lvs("vg0"));
        Assert.False(File.Exists(Path.Combine(VgsDirectory, "vg0", "root.img")));
        // The name is free again.
        Assert.Equal("root", (await AskAsync<LvRow>(new CreateLv("vg0", "root", 1 << 20))).Name);
    }
}
