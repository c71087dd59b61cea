using System.Net;

namespace FleetMerge.Node.Settings;

/// <summary>Where the journal and snapshot store live.</summary>
public enum PersistenceKind
{
    /// <summary>DIR/journal.db (Akka.Persistence.Sql, provider SQLite.MS, WAL mode). The default.</summary>
    Sqlite,
    /// <summary>A PostgreSQL server (Akka.Persistence.Sql, provider PostgreSQL.15).</summary>
    Postgres,
}

/// <summary>
/// Everything a node needs to start, resolved once from (highest first) command-line options,
/// FLEETMERGE_* environment variables and the defaults below. See <see cref="NodeCommandLine"/>.
/// </summary>
public sealed record NodeSettings
{
    public const string DefaultDataDir = "./data";
    public const int DefaultApiPort = 7420;
    public const string DefaultApiBind = "127.0.0.1";
    public const string DefaultAkkaHost = "127.0.0.1";
    public const int DefaultAkkaPort = 0;
    public const long DefaultMaxBodyBytes = 64L << 20;
    public static readonly IReadOnlyList<string> DefaultRoles = ["host", "coordinator", "api"];

    /// <summary>Absolute path of the data directory (journal.db, api-token, node.lock, volume groups).</summary>
    public required string DataDir { get; init; }

    /// <summary>HTTP API port; 0 picks a free port (printed in the ready line).</summary>
    public int ApiPort { get; init; } = DefaultApiPort;

    public IPAddress ApiBind { get; init; } = IPAddress.Loopback;

    public PersistenceKind Persistence { get; init; } = PersistenceKind.Sqlite;

    /// <summary>Npgsql connection string; required when <see cref="Persistence"/> is Postgres.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Akka.Remote host name (what other nodes use to reach this one).</summary>
    public string AkkaHost { get; init; } = DefaultAkkaHost;

    /// <summary>Akka.Remote port; 0 = ephemeral (a one-node cluster joins itself).</summary>
    public int AkkaPort { get; init; } = DefaultAkkaPort;

    /// <summary>Cluster roles of this node.</summary>
    public IReadOnlyList<string> Roles { get; init; } = DefaultRoles;

    /// <summary>Extra HOCON file, applied last (it wins over every other setting).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Largest request body the API accepts (413 above it).</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Copy rate limit of merges run by this node's volume actors (bytes per second); null = unlimited.</summary>
    public long? MergeMaxBytesPerSecond { get; init; }

    /// <summary>How log lines are written to stderr: simple lines or JSON objects.</summary>
    public Observability.LogFormat LogFormat { get; init; } = Observability.LogFormat.Simple;

    // ---------------------------------------------------------------- cluster

    /// <summary>
    /// Akka addresses of the seed nodes (<c>akka.tcp://fleetmerge@HOST:PORT</c>), from
    /// <c>--seed-nodes</c> or the topology file. Empty: the node forms a one-node cluster by joining itself.
    /// </summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>
    /// The topology file (HOCON, see cluster-config/README.md): its <c>fleetmerge.cluster</c> section
    /// gives seed nodes and per-node defaults; everything else in it is applied like <see cref="ConfigFile"/>, before it.
    /// </summary>
    public string? ClusterConfigFile { get; init; }

    /// <summary>This node's entry in the topology file (<c>--cluster-node</c>, else the host id when it names an entry); null = none.</summary>
    public string? ClusterNode { get; init; }

    // ---------------------------------------------------------------- host identity

    /// <summary>The host's id in the fleet (unique; the machine's host name by default).</summary>
    public string HostId { get; init; } = DefaultHostId();

    /// <summary>Operator labels of this host (env=prod, rack=r1, …), matched by campaign and policy selectors.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    // ---------------------------------------------------------------- simulation (scale tests)

    /// <summary>Simulated hosts this node runs besides (or instead of) its own; 0 = none.</summary>
    public int SimulateHosts { get; init; }

    /// <summary>Number of the first simulated host (sim-0001 is 1): the nodes of one cluster simulate disjoint slices.</summary>
    public int SimulateFirst { get; init; } = 1;

    /// <summary>Fault script for the simulated hosts, passed as given; the host layer parses it. Null = no faults.</summary>
    public string? SimulateFaults { get; init; }

    /// <summary>Size of each simulated host's origin volume, in bytes.</summary>
    public long SimulateVolumeSizeBytes { get; init; } = DefaultSimulateVolumeSizeBytes;

    // ---------------------------------------------------------------- fleet journal

    /// <summary>
    /// Npgsql connection string of the fleet journal (the coordinator's campaigns and policies),
    /// shared by every coordinator node; null = the coordinator uses the node's default journal.
    /// </summary>
    public string? FleetPostgresConnectionString { get; init; }

    /// <summary>
    /// The journal plugin the coordinator's persistent actors must use (their <c>JournalPluginId</c>):
    /// <c>akka.persistence.journal.fleet-sql</c> with <c>--fleet-postgres</c>, null = the default journal.
    /// </summary>
    public string? FleetJournalPluginId => FleetPostgresConnectionString is null ? null : FleetJournalPath;

    /// <summary>The snapshot store plugin of the coordinator's persistent actors (<c>SnapshotPluginId</c>); null = the default.</summary>
    public string? FleetSnapshotPluginId => FleetPostgresConnectionString is null ? null : FleetSnapshotPath;

    public const string FleetPluginIdentifier = "fleet-sql";
    public const string FleetJournalPath = "akka.persistence.journal." + FleetPluginIdentifier;
    public const string FleetSnapshotPath = "akka.persistence.snapshot-store." + FleetPluginIdentifier;
    public const long DefaultSimulateVolumeSizeBytes = 4L << 20;

    /// <summary>The machine's host name, as the default host id.</summary>
    public static string DefaultHostId()
    {
        string name;
        try { name = System.Net.Dns.GetHostName(); }
        catch (System.Net.Sockets.SocketException) { name = Environment.MachineName; }
        return name.Trim().Length > 0 ? name.Trim() : "localhost";
    }

    public string JournalDbPath => Path.Combine(DataDir, "journal.db");
    public string LockFilePath => Path.Combine(DataDir, "node.lock");
    public string TokenFilePath => Path.Combine(DataDir, "api-token");

    /// <summary>DIR/vgs: one directory per volume group (the host role's data).</summary>
    public string VgsDirectory => Path.Combine(DataDir, "vgs");

    public static string PersistenceName(PersistenceKind kind) => kind switch
    {
        PersistenceKind.Sqlite => "sqlite",
        PersistenceKind.Postgres => "postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
