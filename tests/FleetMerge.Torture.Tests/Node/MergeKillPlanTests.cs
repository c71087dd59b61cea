using FleetMerge.Torture.Node;
using FsCheck;
using FsCheck.Xunit;

namespace FleetMerge.Torture.Tests.Node;

public class MergeKillPlanTests
{
    [Property(MaxTest = 300)]
    public bool Every_plan_is_one_the_node_can_run(int seed)
    {
        var plan = MergeKillPlan.Draw(new Random(seed));
        bool sizes = plan.OriginBytes is >= 4 << 20 and <= (32 << 20) + 512 && plan.OriginBytes % 512 == 0
            && plan.ChunkBytes is >= 4096 and <= 524288 && (plan.ChunkBytes & (plan.ChunkBytes - 1)) == 0;
        // The COW holds every chunk of the origin plus its metadata: it never fills, so the snapshot stays valid.
        long chunks = (plan.OriginBytes + plan.ChunkBytes - 1) / plan.ChunkBytes;
        bool roomy = plan.CowBytes % 512 == 0 && plan.CowBytes >= (chunks + 2 + chunks / 16) * plan.ChunkBytes;
        var writes = plan.Steps.Where(s => s.Write is not null).Select(s => s.Write!).Concat(plan.WritesDuringMerge).ToList();
        bool inside = writes.All(w => w.Length > 0 && w.Offset >= 0 && w.Offset + w.Length <= plan.OriginBytes);
        // s2 is written only once it exists, and namesnapshot never meets a second snapshot (LVM refuses it).
        int secondAt = plan.Steps.ToList().FindIndex(s => s.TakeSecondSnapshot);
        bool ordered = plan.Steps.Select((s, i) => (s, i)).All(p => p.s.Write?.Target != MergeKillPlan.Second || (secondAt >= 0 && p.i > secondAt));
        bool rules = !(plan.Mode == "namesnapshot" && plan.HasSecondSnapshot);
        return sizes && roomy && inside && ordered && rules;
    }

    [Fact]
    public void The_same_seed_draws_the_same_plan()
    {
        var a = MergeKillPlan.Draw(new Random(42));
        var b = MergeKillPlan.Draw(new Random(42));
        Assert.Equal(a.ToString(), b.ToString());
        Assert.Equal(a.Steps, b.Steps);
    }

    [Fact]
    public void Over_many_seeds_every_kill_point_mode_and_rate_is_drawn()
    {
        var plans = Enumerable.Range(0, 500).Select(i => MergeKillPlan.Draw(new Random(i))).ToList();
        Assert.Equal(Enum.GetValues<KillPoint>().Length, plans.Select(p => p.Kill).Distinct().Count());
        Assert.Equal(2, plans.Select(p => p.Mode).Distinct().Count());
        Assert.Contains(plans, p => p.MaxRate is null);
        Assert.Contains(plans, p => p.MaxRate is not null);
        Assert.Contains(plans, p => p.KillAgain);
        Assert.Contains(plans, p => p.HasSecondSnapshot);
        Assert.Contains(plans, p => p.WritesDuringMerge.Count > 0);
    }

    [Fact]
    public void Under_namesnapshot_the_result_and_the_merging_data_carry_the_snapshots_name()
    {
        var plan = Enumerable.Range(0, 100).Select(i => MergeKillPlan.Draw(new Random(i))).First(p => p.Mode == "namesnapshot");
        Assert.Equal(MergeKillPlan.Merged, plan.ResultName);
        Assert.Equal(MergeKillPlan.Merged, plan.MergingViewName);
        var other = Enumerable.Range(0, 100).Select(i => MergeKillPlan.Draw(new Random(i))).First(p => p.Mode == "nameorigin");
        Assert.Equal(MergeKillPlan.Origin, other.ResultName);
    }
}
