using FleetMerge.Fleet.Policies;
using FleetMerge.Fleet.Tests.Hosts;
using FleetMerge.Protocol.Host;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Fleet.Tests.Policies;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 2, 30, 0, TimeSpan.Zero);
    private static readonly IReadOnlySet<string> NoneOpen = new HashSet<string>();

    /// <summary>Five nightly runs c1..c5, c5 the newest (due last night).</summary>
    private static readonly RetentionRun[] Nightly = [.. Enumerable.Range(1, 5).Select(i => new RetentionRun($"c{i}", T0.AddDays(i - 5)))];

    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static LvRow Origin(string name = "root", string attr = "owi-aos---") => HostStatesTests.Row(name, attr);

    private static LvRow Snap(string origin, string tag, char type = 's') => HostStatesTests.Row($"{origin}-{tag}", $"{type}wi-a-s---", origin);

    private static HostVolumes Host(string id, params LvRow[] rows) => new(id, rows);

    private static IReadOnlyList<string> Removed(IReadOnlyList<HostPrune> plan, string host) =>
        plan.SingleOrDefault(p => p.HostId == host)?.Snapshots ?? [];

    [Fact]
    public void Beyond_keep_the_oldest_go()
    {
        var host = Host("web-1", Origin(), Snap("root", "c1"), Snap("root", "c2"), Snap("root", "c3"), Snap("root", "c4"), Snap("root", "c5"));
        var plan = Retention.Plan(3, null, Nightly, [host], NoneOpen, Now);
        Assert.Equal(["vg0/root-c1", "vg0/root-c2"], Removed(plan, "web-1"));
    }

    [Fact]
    public void Keep_counts_per_origin_and_per_host()
    {
        var a = Host("a", Origin(), Origin("home"), Snap("root", "c4"), Snap("root", "c5"), Snap("home", "c3"), Snap("home", "c5"));
        var b = Host("b", Origin(), Snap("root", "c5"));
        var plan = Retention.Plan(1, null, Nightly, [b, a], NoneOpen, Now);
        Assert.Equal(["a"], plan.Select(p => p.HostId));
        Assert.Equal(["vg0/home-c3", "vg0/root-c4"], Removed(plan, "a"));
        Assert.Equal(["vg0/home", "vg0/root"], plan.Single().Origins);
    }

    [Fact]
    public void Older_than_max_age_goes_even_within_keep()
    {
        var host = Host("web-1", Origin(), Snap("root", "c1"), Snap("root", "c4"), Snap("root", "c5"));
        var plan = Retention.Plan(10, TimeSpan.FromDays(2), Nightly, [host], NoneOpen, Now);
        Assert.Equal(["vg0/root-c1"], Removed(plan, "web-1")); // c1 is 4 days old; c4 1 day, c5 1 hour
        Assert.Empty(Retention.Plan(10, TimeSpan.FromDays(5), Nightly, [host], NoneOpen, Now));
    }

    [Fact]
    public void A_snapshot_being_merged_or_held_by_an_open_campaign_stays()
    {
        var host = Host("web-1", Origin(attr: "Owi-aos---"), Snap("root", "c1", 'S'), Snap("root", "c2"), Snap("root", "c3"), Snap("root", "c5"));
        var plan = Retention.Plan(1, null, Nightly, [host], new HashSet<string> { "c2" }, Now);
        Assert.Equal(["vg0/root-c3"], Removed(plan, "web-1"));
    }

    [Fact]
    public void Snapshots_that_are_not_the_policys_are_never_touched()
    {
        var host = Host("web-1", Origin(), Snap("root", "c5"),
            Snap("root", "manual"), Snap("root", "c99"),               // made by hand, taken by another campaign
            HostStatesTests.Row("root-c1", "-wi-a-----"),               // a plain volume that happens to be named so
            Snap("home", "c2") with { Name = "root-c2" });              // a snapshot of another origin
        // Everything of the policy is too old by now; only its own snapshot goes.
        Assert.Equal(["vg0/root-c5"], Removed(Retention.Plan(1, TimeSpan.FromHours(1), Nightly, [host], NoneOpen, Now.AddDays(30)), "web-1"));
    }

    [Fact]
    public void The_same_origin_name_in_two_groups_is_two_families()
    {
        var host = Host("web-1", Origin(), Snap("root", "c4"), HostStatesTests.Row("root-c5", "swi-a-s---", "root", vg: "vg1"));
        Assert.Empty(Retention.Plan(1, null, Nightly, [host], NoneOpen, Now));
    }

    [Fact]
    public void Nothing_to_remove_is_an_empty_plan() =>
        Assert.Empty(Retention.Plan(3, null, Nightly, [Host("web-1", Origin(), Snap("root", "c5"))], NoneOpen, Now));

    // ---------------------------------------------------------------- properties

    public sealed record Scenario(int Keep, int? MaxAgeHours, RetentionRun[] Runs, HostVolumes[] Hosts, HashSet<string> Open, DateTimeOffset Now)
    {
        public override string ToString() =>
            $"keep {Keep}, max age {MaxAgeHours?.ToString() ?? "none"} h, open [{string.Join(",", Open)}], runs [{string.Join(", ", Runs.Select(r => $"{r.CampaignId}@{(r.Due - T0).TotalHours}h"))}], " +
            string.Join("; ", Hosts.Select(h => $"{h.HostId}: {string.Join(" ", h.Volumes.Select(v => $"{v.Vg}/{v.Name}({v.Attr[0]})"))}"));
    }

    private static Gen<Scenario> Scenarios =>
        from runCount in Gen.Choose(1, 8)
        from dues in Gen.Choose(0, 30).ArrayOf(runCount)          // equal due times happen (a run now next to a scheduled one)
        from keep in Gen.Choose(1, 5)
        from maxAge in Gen.Elements<int?>(null, 3, 12, 24)
        from open in Gen.Elements(true, false, false, false).ArrayOf(runCount + 2)
        from hostCount in Gen.Choose(1, 3)
        from cells in Gen.Elements('-', '-', 's', 's', 's', 'S').ArrayOf(hostCount * 2 * (runCount + 2))
        select Build(keep, maxAge, dues, open, hostCount, cells);

    /// <summary>Runs c0..cN; each host has origins root and home; cell (host, origin, tag) says whether that snapshot exists and its type. Tags cN+1.. are not the policy's.</summary>
    private static Scenario Build(int keep, int? maxAge, int[] dues, bool[] open, int hostCount, char[] cells)
    {
        var runs = dues.Select((d, i) => new RetentionRun($"c{i}", T0.AddHours(d))).ToArray();
        int tags = dues.Length + 2;
        var hosts = new List<HostVolumes>();
        for (int h = 0; h < hostCount; h++)
        {
            var rows = new List<LvRow> { Origin("root"), Origin("home") };
            for (int o = 0; o < 2; o++)
                for (int t = 0; t < tags; t++)
                    if (cells[(h * 2 + o) * tags + t] is var type && type != '-') rows.Add(Snap(o == 0 ? "root" : "home", $"c{t}", type));
            hosts.Add(new HostVolumes($"h{h}", rows));
        }
        var openSet = open.Select((b, i) => (b, i)).Where(x => x.b).Select(x => $"c{x.i}").ToHashSet();
        return new Scenario(keep, maxAge, runs, [.. hosts], openSet, T0.AddHours(31));
    }

    private static IReadOnlyList<HostPrune> PlanOf(Scenario s) =>
        Retention.Plan(s.Keep, s.MaxAgeHours is { } h ? TimeSpan.FromHours(h) : null, s.Runs, s.Hosts, s.Open, s.Now);

    /// <summary>Every policy snapshot with how many of the same host and origin are newer (a different formulation from the ranking in Retention).</summary>
    private static IEnumerable<(string Host, LvRow Row, RetentionRun Run, int Newer)> PolicySnapshots(Scenario s)
    {
        var runs = s.Runs.ToDictionary(r => r.CampaignId);
        foreach (var host in s.Hosts)
        {
            var mine = host.Volumes.Where(v => v.Origin is not null && runs.ContainsKey(v.Name[(v.Origin.Length + 1)..]))
                .Select(v => (Row: v, Run: runs[v.Name[(v.Origin!.Length + 1)..]])).ToList();
            foreach (var (row, run) in mine)
            {
                int newer = mine.Count(o => o.Row.Origin == row.Origin &&
                    (o.Run.Due > run.Due || (o.Run.Due == run.Due && string.CompareOrdinal(o.Run.CampaignId, run.CampaignId) > 0)));
                yield return (host.HostId, row, run, newer);
            }
        }
    }

    private static HashSet<(string, string)> RemovedSet(IReadOnlyList<HostPrune> plan) =>
        plan.SelectMany(p => p.Snapshots.Select(s => (p.HostId, s))).ToHashSet();

    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property Never_removes_a_kept_merging_held_or_foreign_snapshot() =>
        Prop.ForAll(Arb.From(Scenarios), s =>
        {
            var removed = RemovedSet(PlanOf(s));
            var policy = PolicySnapshots(s).ToList();
            bool onlyPolicy = removed.All(r => policy.Any(p => (p.Host, $"{p.Row.Vg}/{p.Row.Name}") == r));
            bool safe = policy.Where(p => removed.Contains((p.Host, $"{p.Row.Vg}/{p.Row.Name}")))
                .All(p => p.Row.Attr[0] != 'S' && !s.Open.Contains(p.Run.CampaignId)
                    && (p.Newer >= s.Keep || (s.MaxAgeHours is { } h && s.Now - p.Run.Due > TimeSpan.FromHours(h))));
            bool keepsNewest = s.MaxAgeHours is not null || policy.Where(p => p.Newer < s.Keep).All(p => !removed.Contains((p.Host, $"{p.Row.Vg}/{p.Row.Name}")));
            return onlyPolicy && safe && keepsNewest;
        });

    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property Removes_every_unprotected_snapshot_beyond_keep_or_too_old() =>
        Prop.ForAll(Arb.From(Scenarios), s =>
        {
            var removed = RemovedSet(PlanOf(s));
            return PolicySnapshots(s)
                .Where(p => p.Row.Attr[0] != 'S' && !s.Open.Contains(p.Run.CampaignId))
                .Where(p => p.Newer >= s.Keep || (s.MaxAgeHours is { } h && s.Now - p.Run.Due > TimeSpan.FromHours(h)))
                .All(p => removed.Contains((p.Host, $"{p.Row.Vg}/{p.Row.Name}")));
        });

    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public Property Pruning_again_after_the_removals_removes_nothing_more() =>
        Prop.ForAll(Arb.From(Scenarios.Where(s => s.MaxAgeHours is null)), s =>
        {
            var removed = RemovedSet(PlanOf(s));
            var after = s with
            {
                Hosts = [.. s.Hosts.Select(h => h with { Volumes = [.. h.Volumes.Where(v => !removed.Contains((h.HostId, $"{v.Vg}/{v.Name}")))] })],
            };
            return PlanOf(after).Count == 0;
        });
}
