// Scenarios.All lists every scenario unannotated; the fleet helpers (the bench's, like the node) are Linux-only,
// as ops/torture.sh is.
#pragma warning disable CA1416
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// campaign-kill: snapshot-before-upgrade campaigns and their rollbacks or commits on a 3-node
/// cluster of 30 simulated hosts, with a SIGKILL of the coordinator's node or a host node at a
/// random instant (<see cref="FleetTrial"/>, <see cref="NodeKill"/>). One cluster and one fresh
/// fleet journal database on ops/postgres.sh's server for the whole scenario.
/// </summary>
public sealed class CampaignKillScenario : IScenario
{
    /// <summary>Every step a little slow, so that a campaign lasts a few seconds and a kill lands inside it.</summary>
    public const string Faults = "slow=100%:300ms";

    /// <summary>Short enough that a host down past it is given up on (failed) in some trials, long enough for most to come back.</summary>
    private static readonly string[] StepTimeouts = ["10s", "60s"];

    private JournalDatabase? database;
    private TortureCluster? cluster;
    private FleetTrial? trial;

    public string Name => "campaign-kill";

    public string Description => "snapshot+upgrade then rollback/commit campaigns on 3 nodes x 10 sim hosts, SIGKILL of a random node mid-campaign; origins vs model, each step once";

    public ScenarioScale Scale => ScenarioScale.Cluster;

    public int MaxParallel => 1;

    public async Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        database = await JournalDatabase.CreateAsync(await SharedPostgres.UrlAsync(), "fleetmerge_torture_kill");
        context.Progress("starting 3 nodes with 30 simulated hosts");
        cluster = await TortureCluster.StartAsync(Path.Combine(context.Dir, "cluster"), database.ConnectionString, Faults);
        trial = new FleetTrial(cluster, database.ConnectionString, new NodeKill(), StepTimeouts);
    }

    public Task<TrialOutcome> RunTrialAsync(TrialContext context, CancellationToken cancel) => trial!.RunAsync(context);

    public async Task TearDownAsync(ScenarioContext context)
    {
        if (cluster is not null) await cluster.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }
}
