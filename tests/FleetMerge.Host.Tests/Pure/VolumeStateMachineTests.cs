using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Host.Tests.Pure;

public sealed class VolumeStateMachineTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    internal static VolumeState Origin(params IVolumeEvent[] more) => VolumeStateMachine.ApplyAll(VolumeState.Empty,
        [new VolumeCreated("vg0", "VGUUID", "root", "ROOT", 0, 1 << 20, VolumeOrigins.Created), .. more]);

    [Fact]
    public void A_merge_lifecycle_ends_complete_with_the_snapshot_gone()
    {
        var state = Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, Adopted: false),
            new ActivationChanged(true, "activation"),
            new MergeRequested("S1", "s1", "nameorigin", Adopted: false),
            new MergeStarted("S1", "s1", "nameorigin", 100, 100, "200/512 16", Resumed: false, T0),
            new MergeProgressed("S1", 100, 60, "120/512 16", T0.AddSeconds(1)));

        var merge = state.Merge("S1")!;
        Assert.Equal((MergePhase.Running, 40.0, 40L), (merge.Phase, merge.Percent, merge.MergedExceptions));
        Assert.Single(state.Snapshots);

        state = VolumeStateMachine.Apply(state, new MergeCompleted("S1", "s1", 100, "root", "ROOT", 0, FoundOnDisk: false, T0.AddSeconds(2)));
        merge = state.Merge("S1")!;
        Assert.Equal((MergePhase.Complete, 100.0, true), (merge.Phase, merge.Percent, merge.SnapshotRemoved));
        Assert.Empty(state.Snapshots);
        Assert.Equal(("root", "ROOT"), (state.Origin, state.OriginUuid));
        Assert.Same(merge, state.MergeByName("s1"));
    }

    [Fact]
    public void A_namesnapshot_merge_hands_the_origin_the_snapshot_identity()
    {
        var state = Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "namesnapshot", false),
            new MergeStarted("S1", "s1", "namesnapshot", 10, 10, "", false, T0),
            new MergeCompleted("S1", "s1", 10, "s1", "S1", 1, false, T0));
        Assert.Equal(("s1", "S1", 1), (state.Origin, state.OriginUuid, state.OriginMinor));
        Assert.Equal("complete", Views.Merge("vg0", state.MergeByName("s1")!).State);
    }

    [Fact]
    public void Removing_a_snapshot_cancels_its_pending_merge_but_keeps_finished_ones()
    {
        var state = Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new SnapshotTaken("s2", "S2", 2, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "onactivate", false),
            new MergeMarkedOnActivate("S1", "s1", "onactivate", "onactivate"));
        Assert.Equal("pending", Views.Merge("vg0", state.Merge("S1")!).State);

        state = VolumeStateMachine.Apply(state, new SnapshotRemoved("s1", "S1", "removed"));
        Assert.Null(state.Merge("S1"));
        Assert.Equal(["s2"], state.Snapshots.Select(s => s.Name));
    }

    [Fact]
    public void Renames_follow_the_uuid_into_snapshots_and_open_merges()
    {
        var state = Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "onactivate", false),
            new VolumeRenamed("S1", "s1", "before-upgrade"),
            new VolumeRenamed("ROOT", "root", "system"));
        Assert.Equal("system", state.Origin);
        Assert.Equal("before-upgrade", state.Snapshots.Single().Name);
        var merge = state.MergeByName("before-upgrade")!;
        Assert.Equal(("before-upgrade", "system"), (merge.Snapshot, merge.Origin));
    }

    [Fact]
    public void Failed_stopped_and_cancelled_merges()
    {
        var state = Origin(
            new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false),
            new MergeRequested("S1", "s1", "nameorigin", false),
            new MergeStarted("S1", "s1", "nameorigin", 10, 10, "", false, T0),
            new MergeFailed("S1", "I/O error", T0));
        Assert.Equal((MergePhase.Failed, "I/O error"), (state.Merge("S1")!.Phase, state.Merge("S1")!.Error));
        state = VolumeStateMachine.Apply(state, new MergeStarted("S1", "s1", "nameorigin", 10, 4, "", true, T0));
        Assert.Equal((MergePhase.Running, (string?)null), (state.Merge("S1")!.Phase, state.Merge("S1")!.Error));
        state = VolumeStateMachine.Apply(state, new MergeStopped("S1", "deactivated", T0));
        Assert.Equal(MergePhase.Stopped, state.Merge("S1")!.Phase);
        state = VolumeStateMachine.Apply(state, new MergeCancelled("S1", "no mark"));
        Assert.Null(state.Merge("S1"));
    }

    [Fact]
    public void Completed_merges_are_kept_up_to_a_bound()
    {
        var state = Origin();
        for (int i = 0; i < VolumeStateMachine.KeptFinishedMerges + 5; i++)
            state = VolumeStateMachine.ApplyAll(state, [
                new SnapshotTaken($"s{i}", $"S{i}", 1, 1 << 20, 4096, false),
                new MergeRequested($"S{i}", $"s{i}", "nameorigin", false),
                new MergeCompleted($"S{i}", $"s{i}", 1, "root", "ROOT", 0, false, T0)]);
        Assert.Equal(VolumeStateMachine.KeptFinishedMerges, state.Merges.Count);
        Assert.Null(state.MergeByName("s0"));
        Assert.NotNull(state.MergeByName($"s{VolumeStateMachine.KeptFinishedMerges + 4}"));
    }

    [Fact]
    public void Removed_then_adopted_again_starts_from_the_disk()
    {
        var state = Origin(new SnapshotTaken("s1", "S1", 1, 256 << 10, 4096, false), new VolumeRemoved("root", "ROOT", "removed"));
        Assert.False(state.Exists);
        Assert.Empty(state.Snapshots);
        state = VolumeStateMachine.Apply(state, new VolumeCreated("vg0", "VGUUID", "root", "ROOT", 0, 1 << 20, VolumeOrigins.Adopted));
        Assert.True(state.Exists);
    }
}
