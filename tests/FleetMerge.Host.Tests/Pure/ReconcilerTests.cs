using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Host.Tests.Pure;

public sealed class ReconcilerTests
{
    private static readonly DateTimeOffset T0 = VolumeStateMachineTests.T0;
    private static readonly DiskSnapshot RootOnDisk = new("root", "ROOT", 0, 1 << 20, 0, null, false, null);

    private static DiskView Disk(bool active, DiskMerge? merge, params DiskSnapshot[] snapshots) =>
        new("vg0", "VGUUID", RootOnDisk, snapshots, active, merge);

    private static DiskSnapshot S1(string? mode = null, bool started = false, long? initial = null) =>
        new("s1", "S1", 1, 256 << 10, 4096, mode, started, initial);

    private static VolumeState StartedAt40() => VolumeStateMachineTests.Origin(
        new ActivationChanged(true, "activation"),
        new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
        new MergeRequested("S1", "s1", "nameorigin", false),
        new MergeStarted("S1", "s1", "nameorigin", 100, 100, "", false, T0),
        new MergeProgressed("S1", 100, 60, "", T0));

    [Fact]
    public void Journal_and_disk_that_agree_need_nothing()
    {
        var journal = VolumeStateMachineTests.Origin(new ActivationChanged(true, "a"), new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false));
        var result = Reconciler.Reconcile(journal, Disk(true, null, S1()), T0);
        Assert.Empty(result.Events);
        Assert.Empty(result.Findings);
        Assert.False(result.RunMerge);
    }

    [Fact]
    public void An_empty_journal_adopts_the_disk()
    {
        var result = Reconciler.Reconcile(VolumeState.Empty, Disk(true, null, S1("onactivate")), T0);
        Assert.Equal([typeof(VolumeCreated), typeof(ActivationChanged), typeof(SnapshotTaken), typeof(MergeRequested), typeof(MergeMarkedOnActivate)],
            result.Events.Select(e => e.GetType()));
        Assert.Equal(VolumeOrigins.Adopted, ((VolumeCreated)result.Events[0]).How);
        Assert.Contains(result.Findings, f => f.Contains("no journal for vg0/root", StringComparison.Ordinal));
        Assert.Equal("pending", Views.Merge("vg0", result.State.MergeByName("s1")!).State);
    }

    [Fact]
    public void A_creation_through_the_api_is_not_a_finding()
    {
        var result = Reconciler.Reconcile(VolumeState.Empty, Disk(false, null), T0, VolumeOrigins.Created);
        Assert.Equal(VolumeOrigins.Created, Assert.IsType<VolumeCreated>(Assert.Single(result.Events)).How);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void The_disk_finished_a_merge_the_journal_only_saw_start()
    {
        var result = Reconciler.Reconcile(StartedAt40(), Disk(true, null), T0);
        var completed = Assert.IsType<MergeCompleted>(Assert.Single(result.Events));
        Assert.True(completed.FoundOnDisk);
        Assert.Equal(("root", "ROOT"), (completed.SurvivorName, completed.SurvivorUuid));
        Assert.Equal("journal says the merge of vg0/s1 was running at 40%, the disk has no s1: the merge completed", Assert.Single(result.Findings));
        var view = Views.Merge("vg0", result.State.MergeByName("s1")!);
        Assert.Equal(("complete", 100.0, true, 100L), (view.State, view.Percent, view.SnapshotRemoved, view.MergedExceptions));
        Assert.False(result.RunMerge);
    }

    [Fact]
    public void The_disk_is_further_than_the_last_checkpoint_resume_from_the_disk()
    {
        var live = new DiskMerge("S1", "started", 100, 27, "54/512 16");
        var result = Reconciler.Reconcile(StartedAt40(), Disk(true, live, S1("nameorigin", started: true, initial: 100)), T0);
        var progressed = Assert.IsType<MergeProgressed>(Assert.Single(result.Events));
        Assert.Equal(27, progressed.RemainingExceptions);
        Assert.Equal("journal says the merge of vg0/s1 was running at 40%, disk says 73% done: resuming", Assert.Single(result.Findings));
        Assert.True(result.RunMerge);
        Assert.Equal(73.0, result.State.Merge("S1")!.Percent);
    }

    [Fact]
    public void A_merge_marked_onactivate_starts_with_the_activation()
    {
        var journal = VolumeStateMachineTests.Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "onactivate", false),
            new MergeMarkedOnActivate("S1", "s1", "onactivate", "onactivate"));
        var live = new DiskMerge("S1", "started", 50, 50, "100/512 16");
        var result = Reconciler.Reconcile(journal, Disk(true, live, S1("onactivate", started: true, initial: 50)), T0);
        Assert.Equal([typeof(ActivationChanged), typeof(MergeStarted)], result.Events.Select(e => e.GetType()));
        Assert.True(result.RunMerge);
        Assert.Contains("starts with this activation", Assert.Single(result.Findings), StringComparison.Ordinal);
        Assert.Equal("running", Views.Merge("vg0", result.State.MergeByName("s1")!).State);
    }

    [Fact]
    public void A_stopped_merge_the_activation_restarted_is_resumed()
    {
        var journal = VolumeStateMachine.Apply(StartedAt40(), new MergeStopped("S1", "deactivated", T0));
        var live = new DiskMerge("S1", "started", 100, 60, "");
        var result = Reconciler.Reconcile(journal, Disk(true, live, S1("nameorigin", true, 100)), T0);
        Assert.True(Assert.IsType<MergeStarted>(Assert.Single(result.Events)).Resumed);
        Assert.True(result.RunMerge);
    }

    [Fact]
    public void A_running_merge_on_an_inactive_origin_is_stopped_until_the_next_activation()
    {
        var result = Reconciler.Reconcile(StartedAt40(), Disk(false, null, S1("nameorigin", true, 100)), T0);
        Assert.Equal([typeof(ActivationChanged), typeof(MergeStopped)], result.Events.Select(e => e.GetType()));
        Assert.Equal("stopped", Views.Merge("vg0", result.State.MergeByName("s1")!).State);
        Assert.False(result.RunMerge);
    }

    [Fact]
    public void A_request_that_never_reached_the_disk_is_cancelled()
    {
        var journal = VolumeStateMachineTests.Origin(
            new ActivationChanged(true, "a"),
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "nameorigin", false));
        var result = Reconciler.Reconcile(journal, Disk(true, null, S1()), T0);
        Assert.IsType<MergeCancelled>(Assert.Single(result.Events));
        Assert.Null(result.State.MergeByName("s1"));
        Assert.Contains("never reached the group", Assert.Single(result.Findings), StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshots_and_names_follow_the_disk()
    {
        var journal = VolumeStateMachineTests.Origin(
            new ActivationChanged(true, "a"),
            new SnapshotTaken("old", "OLD", 2, 256 << 10, 4096, false),
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false));
        var disk = new DiskView("vg0", "VGUUID", RootOnDisk with { Name = "system" },
            [S1() with { Name = "renamed" }, new DiskSnapshot("new", "NEW", 3, 1 << 20, 8192, null, false, null)], true, null);
        var result = Reconciler.Reconcile(journal, disk, T0);
        Assert.Equal([typeof(VolumeRenamed), typeof(SnapshotRemoved), typeof(VolumeRenamed), typeof(SnapshotTaken)], result.Events.Select(e => e.GetType()));
        Assert.Equal("system", result.State.Origin);
        Assert.Equal(["renamed", "new"], result.State.Snapshots.Select(s => s.Name));
        Assert.Equal(4, result.Findings.Count);
    }

    [Fact]
    public void An_origin_gone_from_the_disk_is_recorded_as_removed()
    {
        var result = Reconciler.Reconcile(StartedAt40(), new DiskView("vg0", "VGUUID", null, [], false, null), T0);
        Assert.IsType<VolumeRemoved>(Assert.Single(result.Events));
        Assert.False(result.State.Exists);
    }
}
