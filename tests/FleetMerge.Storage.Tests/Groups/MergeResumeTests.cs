using FleetMerge.Storage.Groups;
using static FleetMerge.Storage.Tests.Groups.GroupRig;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// A merge interrupted by a crash or a deactivation resumes at the next activation, from the
/// metadata (merge started) and the COW table (what is left). The big cases change 17 MiB so the
/// engine's 16 MiB groups give a merge that stops part way.
/// </summary>
public class MergeResumeTests
{
    private const int Big = 17 << 20;

    /// <summary>root (20 MiB) filled, s1 (64K chunks), then 17 MiB rewritten; returns what s1 shows.</summary>
    private static byte[] BigChange(GroupRig rig)
    {
        rig.Vg.CreateOrigin("root", 20 << 20);
        rig.Vg.Activate("root");
        var model = new byte[20 << 20];
        using var root = rig.Vg.Open("root");
        Write(root, model, 1, 0, Big);
        rig.Vg.CreateSnapshot("root", "s1", 20 << 20, chunkBytes: 64 * K);
        var snapshot = (byte[])model.Clone();
        Write(root, model, 2, 0, Big);
        return snapshot;
    }

    [Fact]
    public void A_merge_started_but_never_run_resumes_after_a_crash()
    {
        using var rig = new GroupRig();
        var origin = rig.ActiveOrigin();
        rig.Vg.CreateSnapshot("root", "s1", 128 * K);
        var snapshot = (byte[])origin.Clone();
        rig.Upgrade("root", origin);
        rig.Vg.Merge("s1");
        rig.Restart(); // the process dies: nothing deactivated, nothing finished

        Assert.Equal("Owi---s---", rig.Vg.Report("root").Attr);
        Assert.Equal("Swi---s---", rig.Vg.Report("s1").Attr);
        var merge = Assert.Single(rig.Vg.ActivateAll().Started);
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.True(merge.Run());
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.Equal(["root.img"], rig.VolumeFiles());
    }

    [Fact]
    public void A_merge_stopped_part_way_resumes_from_the_cow_table_with_its_progress()
    {
        using var rig = new GroupRig();
        var snapshot = BigChange(rig);
        var merge = rig.Vg.Merge("s1")!;
        using var cancel = new CancellationTokenSource();
        var seen = new List<double>();
        Assert.False(merge.Run(p => { seen.Add(p.Percent); cancel.Cancel(); }, cancel.Token));
        double percent = merge.Progress.Percent;
        Assert.InRange(percent, 1, 99);
        Assert.Equal(percent, Assert.Single(seen));
        Assert.Equal(GroupMergeState.Started, merge.State); // a cancelled run can run again; here the process dies
        rig.Restart();

        var resumed = Assert.Single(rig.Vg.ActivateAll().Started);
        Assert.Equal(percent, resumed.Progress.Percent, 6);
        Assert.Equal(percent, rig.Vg.Report("root").MergePercent!.Value, 6);
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.True(resumed.Run());
        Assert.Equal(100, resumed.Progress.Percent);
        Assert.Equal(snapshot, rig.ReadAll("root"));
    }

    [Fact]
    public async Task Deactivation_stops_a_background_merge_and_activation_resumes_it()
    {
        using var rig = new GroupRig();
        var snapshot = BigChange(rig);
        var merge = rig.Vg.Merge("s1")!;
        merge.MaxBytesPerSecond = 64 << 20; // a quarter of a second per 16 MiB group
        var running = merge.RunInBackground();
        rig.Vg.Deactivate("root");

        bool? finished = null;
        try { finished = await running; }
        catch (VolumeInactiveException) { } // stopped before it began copying
        Assert.NotEqual(true, finished);
        Assert.Equal(GroupMergeState.Stopped, merge.State);
        Assert.True(merge.Completion.IsCanceled);
        Assert.True(rig.Vg.Metadata.Find("s1")!.Merge!.Started);

        var resumed = Assert.Single(rig.Vg.Activate("root").Started);
        var done = resumed.RunInBackground();
        await resumed.Completion;
        Assert.True(await done);
        Assert.Equal(snapshot, rig.ReadAll("root"));
        Assert.Null(rig.Vg.Metadata.Find("s1"));
    }
}
