using FleetMerge.Fleet.Policies;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Policies;

public sealed class PolicyBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 10, 0, TimeSpan.Zero);
    private static readonly PolicySpec Spec = PolicySpecs.Daily with { Cron = "0 * * * *", TimeZone = "UTC" };

    private static PolicyBook WithRuns(int runs, bool pruned)
    {
        var book = PolicyBook.Empty.Apply(new PolicyAdded(Spec, T0));
        for (int i = 1; i <= runs; i++)
        {
            book = book.Apply(new PolicyRunStarted(Spec.Name, T0.AddHours(i), $"c{i}", false, T0.AddHours(i)));
            if (pruned) book = book.Apply(new PolicyRunPruned(Spec.Name, $"c{i}", 1, CampaignStates.Completed, T0.AddHours(i)));
        }
        return book;
    }

    [Fact]
    public void The_anchor_is_the_latest_due_time_or_the_creation()
    {
        Assert.Equal(T0, PolicyBook.Anchor(WithRuns(0, false).Find(Spec.Name)!));
        Assert.Equal(T0.AddHours(3), PolicyBook.Anchor(WithRuns(3, false).Find(Spec.Name)!));
    }

    [Fact]
    public void Pruning_records_its_count_and_the_campaigns_end()
    {
        var book = WithRuns(2, false).Apply(new PolicyRunPruned(Spec.Name, "c1", 4, CampaignStates.Aborted, T0));
        Assert.Equal(["c2"], book.Unpruned().Select(u => u.Run.CampaignId));
        Assert.Equal((4, CampaignStates.Aborted), (book.Find(Spec.Name)!.Runs[0].Pruned, book.Find(Spec.Name)!.Runs[0].CampaignState));
    }

    [Fact]
    public void The_history_is_capped_by_dropping_the_oldest_pruned_runs_only()
    {
        var pruned = WithRuns(PolicyBook.MaxRuns + 5, pruned: true).Find(Spec.Name)!;
        Assert.Equal(PolicyBook.MaxRuns, pruned.Runs.Count);
        Assert.Equal("c6", pruned.Runs[0].CampaignId);

        var waiting = WithRuns(PolicyBook.MaxRuns + 5, pruned: false).Find(Spec.Name)!;
        Assert.Equal(PolicyBook.MaxRuns + 5, waiting.Runs.Count); // a run still waiting for its prune is never forgotten
    }

    [Fact]
    public void The_view_shows_the_latest_runs_newest_first_and_the_next_occurrence()
    {
        var book = WithRuns(PolicyBook.ViewRuns + 3, pruned: false);
        var policy = book.Find(Spec.Name)!;
        var now = T0.AddHours(PolicyBook.ViewRuns + 3).AddMinutes(5);
        var view = PolicyBook.View(policy, PolicySchedule.Of(Spec), now, new Dictionary<string, string> { [$"c{PolicyBook.ViewRuns + 3}"] = CampaignStates.Running });
        Assert.Equal(PolicyBook.ViewRuns, view.Runs.Count);
        Assert.Equal($"c{PolicyBook.ViewRuns + 3}", view.Runs[0].CampaignId);
        Assert.Equal(CampaignStates.Running, view.Runs[0].CampaignState);
        Assert.Null(view.Runs[1].CampaignState);
        Assert.Equal(policy.Runs[^1].StartedAt, view.LastRun);
        Assert.Equal(T0.AddHours(PolicyBook.ViewRuns + 3).AddMinutes(50), view.NextRun); // 00:10 + n hours + 5 min → the next full hour
    }

    [Fact]
    public void Events_about_an_unknown_or_removed_policy_change_nothing()
    {
        var book = WithRuns(1, false).Apply(new PolicyRemoved(Spec.Name, T0));
        Assert.Empty(book.Policies);
        Assert.Same(book, book.Apply(new PolicyRunStarted(Spec.Name, T0, "c9", false, T0)));
    }
}
