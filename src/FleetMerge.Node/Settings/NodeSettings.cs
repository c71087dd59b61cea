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
