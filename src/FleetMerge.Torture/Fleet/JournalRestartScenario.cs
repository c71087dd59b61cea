// Scenarios.All lists every scenario unannotated; the fleet helpers (the bench's, like the node) are Linux-only,
// as ops/torture.sh is.
#pragma warning disable CA1416
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// journal-restart: the same campaigns on the same kind of cluster, but what goes away is the fleet
/// journal: a PostgreSQL server of the scenario's own (never ops/postgres.sh's, which others use),
/// stopped fast or immediately at a random instant for 1 to 15 s (<see cref="JournalOutage"/>). The
/// campaign must wait and resume, nothing lost: the checks of <see cref="FleetTrial"/>.
/// </summary>
public sealed class JournalRestartScenario : IScenario
{
    /// <summary>Longer than any outage plus the coordinator's restart delays: a host is never given up on because the journal was away.</summary>
    private static readonly string[] StepTimeouts = ["60s"];

    private PrivatePostgres? server;
    private JournalDatabase? database;
    private TortureCluster? cluster;
    private FleetTrial? trial;

    public string Name => "journal-restart";

    public string Description => "the same campaigns while the fleet journal's own PostgreSQL is stopped (fast or immediate) for 1-15 s; they must resume, nothing lost, each step once";

    public ScenarioScale Scale => ScenarioScale.Cluster;

    public int MaxParallel => 1;

    public async Task SetUpAsync(ScenarioContext context, CancellationToken cancel)
    {
        context.Progress("starting a private PostgreSQL for the fleet journal");
        server = await PrivatePostgres.StartAsync(Path.Combine(context.Dir, "postgres"));
        database = await JournalDatabase.CreateAsync(server.Url, "fleetmerge_torture_journal");
        context.Progress($"PostgreSQL on 127.0.0.1:{server.Port}; starting 3 nodes with 30 simulated hosts");
        cluster = await TortureCluster.StartAsync(Path.Combine(context.Dir, "cluster"), database.ConnectionString, CampaignKillScenario.Faults);
        trial = new FleetTrial(cluster, database.ConnectionString, new JournalOutage(server), StepTimeouts);
    }

    public Task<TrialOutcome> RunTrialAsync(TrialContext context, CancellationToken cancel) => trial!.RunAsync(context);

    public async Task TearDownAsync(ScenarioContext context)
    {
        if (cluster is not null) await cluster.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
    }
}
