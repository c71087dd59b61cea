using System.CommandLine;
using System.Globalization;
using System.Net;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using Npgsql;

namespace FleetMerge.Node.Settings;

/// <summary>A bad option or environment value: printed as one line, exit code 2.</summary>
public sealed class NodeUsageException(string message) : Exception(message);

/// <summary>
/// The node's command line. Each setting comes from (highest first) its option, its environment
/// variable, then its default:
/// <code>
///   --data-dir DIR           FLEETMERGE_DATA_DIR      ./data
///   --api-port N             FLEETMERGE_API_PORT      7420 (0 = pick a free port)
///   --api-bind ADDR          FLEETMERGE_API_BIND      127.0.0.1
///   --persistence KIND       FLEETMERGE_PERSISTENCE   sqlite (or postgres)
///   --postgres CONNSTR       FLEETMERGE_POSTGRES      (needed for postgres)
///   --akka-host HOST         FLEETMERGE_AKKA_HOST     127.0.0.1
///   --akka-port N            FLEETMERGE_AKKA_PORT     0 (ephemeral)
///   --roles R1,R2            FLEETMERGE_ROLES         host,coordinator,api
///   --config FILE            FLEETMERGE_CONFIG        (none; extra HOCON applied last)
///   --max-body SIZE          FLEETMERGE_MAX_BODY      64M
///   --merge-max-rate SIZE    FLEETMERGE_MERGE_MAX_RATE (none: merges copy at full speed; bytes per second)
///   --log-format FORMAT      FLEETMERGE_LOG_FORMAT    simple (or json)
/// </code>
/// The cluster options (seed nodes, topology file, host id, labels, simulation, fleet journal) are in
/// <see cref="ClusterCommandLine"/>; a topology file's entry for this node gives the defaults of
/// --akka-host, --akka-port, --api-port and --roles (below the option and the variable).
/// To add a setting: a property on <see cref="NodeSettings"/>, an <see cref="Option{T}"/> here,
/// one line in <see cref="Resolve"/>, and a row in the README.
/// </summary>
public static class NodeCommandLine
{
    private static readonly Option<string?> DataDir = new("--data-dir") { HelpName = "DIR", Description = "Data directory: journal.db, api-token, node.lock, volume groups [env FLEETMERGE_DATA_DIR; default ./data]" };
    private static readonly Option<string?> ApiPort = new("--api-port") { HelpName = "N", Description = "HTTP API port, 0 picks a free one [env FLEETMERGE_API_PORT; default 7420]" };
    private static readonly Option<string?> ApiBind = new("--api-bind") { HelpName = "ADDR", Description = "Address the HTTP API listens on [env FLEETMERGE_API_BIND; default 127.0.0.1]" };
    private static readonly Option<string?> Persistence = new("--persistence") { HelpName = "sqlite|postgres", Description = "Journal and snapshot store [env FLEETMERGE_PERSISTENCE; default sqlite: DIR/journal.db]" };
    private static readonly Option<string?> Postgres = new("--postgres") { HelpName = "CONNSTR", Description = "Npgsql connection string for --persistence postgres [env FLEETMERGE_POSTGRES]" };
    private static readonly Option<string?> AkkaHost = new("--akka-host") { HelpName = "HOST", Description = "Akka.Remote host name [env FLEETMERGE_AKKA_HOST; default 127.0.0.1]" };
    private static readonly Option<string?> AkkaPort = new("--akka-port") { HelpName = "N", Description = "Akka.Remote port, 0 = ephemeral [env FLEETMERGE_AKKA_PORT; default 0]" };
    private static readonly Option<string?> Roles = new("--roles") { HelpName = "R1,R2", Description = "Cluster roles [env FLEETMERGE_ROLES; default host,coordinator,api]" };
    private static readonly Option<string?> Config = new("--config") { HelpName = "FILE", Description = "Extra HOCON file, applied last [env FLEETMERGE_CONFIG]" };
    private static readonly Option<string?> MaxBody = new("--max-body") { HelpName = "SIZE", Description = "Largest API request body, K/M/G suffixes [env FLEETMERGE_MAX_BODY; default 64M]" };

    private static readonly Option<string?> MergeMaxRate = new("--merge-max-rate") { HelpName = "SIZE", Description = "Copy rate limit of merges in bytes per second, K/M/G suffixes (the kernel's snapshot_copy_throttle) [env FLEETMERGE_MERGE_MAX_RATE; default unlimited]" };

    private static readonly Option<string?> LogFormat = new("--log-format") { HelpName = "simple|json", Description = "Log lines on stderr: simple lines or one JSON object per line [env FLEETMERGE_LOG_FORMAT; default simple]" };

    public static RootCommand BuildCommand()
    {
        var command = new RootCommand("fleetmerge-node: the FleetMerge node (cluster member, SQL journal, HTTP API)")
        {
            DataDir, ApiPort, ApiBind, Persistence, Postgres, AkkaHost, AkkaPort, Roles, Config, MaxBody, MergeMaxRate, LogFormat,
        };
        foreach (var option in ClusterCommandLine.All) command.Options.Add(option);
        return command;
    }

    /// <summary>Parses and resolves in one go (tests; Program separates the steps to print help).</summary>
    public static NodeSettings Parse(string[] args, Func<string, string?> environment)
    {
        var parsed = BuildCommand().Parse(args);
        if (parsed.Errors.Count > 0) throw new NodeUsageException(OneLine(parsed.Errors[0].Message));
        return Resolve(parsed, environment);
    }

    public static NodeSettings Resolve(ParseResult parsed, Func<string, string?> environment) =>
        Resolve(parsed, environment, NodeSettings.DefaultHostId);

    /// <param name="defaultHostId">The host id when neither --host-id nor FLEETMERGE_HOST_ID gives one (tests pass their own).</param>
    public static NodeSettings Resolve(ParseResult parsed, Func<string, string?> environment, Func<string> defaultHostId)
    {
        string? Env(string name) => environment(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;

        var (topology, entry, hostId) = ClusterCommandLine.Locate(parsed, Env, defaultHostId);

        string dataDir = parsed.GetValue(DataDir) ?? Env("FLEETMERGE_DATA_DIR") ?? NodeSettings.DefaultDataDir;
        if (dataDir.Trim().Length == 0) throw new NodeUsageException("--data-dir: the path is empty");

        int apiPort = Port("--api-port", parsed.GetValue(ApiPort), "FLEETMERGE_API_PORT", Env("FLEETMERGE_API_PORT"), entry?.ApiPort ?? NodeSettings.DefaultApiPort);
        int akkaPort = Port("--akka-port", parsed.GetValue(AkkaPort), "FLEETMERGE_AKKA_PORT", Env("FLEETMERGE_AKKA_PORT"), entry?.AkkaPort ?? NodeSettings.DefaultAkkaPort);

        var (bindText, bindSource) = Pick(parsed.GetValue(ApiBind), "--api-bind", Env("FLEETMERGE_API_BIND"), "FLEETMERGE_API_BIND", NodeSettings.DefaultApiBind);
        IPAddress bind = ParseBind(bindText, bindSource);

        var (kindText, kindSource) = Pick(parsed.GetValue(Persistence), "--persistence", Env("FLEETMERGE_PERSISTENCE"), "FLEETMERGE_PERSISTENCE", "sqlite");
        PersistenceKind kind = kindText.ToLowerInvariant() switch
        {
            "sqlite" => PersistenceKind.Sqlite,
            "postgres" or "postgresql" => PersistenceKind.Postgres,
            _ => throw new NodeUsageException($"{kindSource}: '{kindText}' is not a persistence kind (sqlite or postgres)"),
        };

        string? cliPostgres = parsed.GetValue(Postgres);
        string? postgres = cliPostgres ?? Env("FLEETMERGE_POSTGRES");
        if (kind == PersistenceKind.Postgres)
        {
            if (postgres is null)
                throw new NodeUsageException("--persistence postgres needs a connection string: --postgres \"Host=...;Port=...;Database=...;Username=...;Password=...\" or FLEETMERGE_POSTGRES");
            ValidatePostgres(postgres, cliPostgres is not null ? "--postgres" : "FLEETMERGE_POSTGRES");
        }
        else if (cliPostgres is not null)
        {
            throw new NodeUsageException($"--postgres is given but persistence is {kindText} ({kindSource}); add --persistence postgres");
        }
        else
        {
            postgres = null;
        }

        string akkaHost = parsed.GetValue(AkkaHost) ?? Env("FLEETMERGE_AKKA_HOST") ?? entry?.AkkaHost ?? NodeSettings.DefaultAkkaHost;

        var (rolesText, rolesSource) = Pick(parsed.GetValue(Roles), "--roles", Env("FLEETMERGE_ROLES"), "FLEETMERGE_ROLES", string.Join(',', entry?.Roles ?? NodeSettings.DefaultRoles));
        if (rolesSource == "default" && entry?.Roles is not null) rolesSource = $"{topology!.File} node {entry.Name}";
        var roles = rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        if (roles.Length == 0) throw new NodeUsageException($"{rolesSource}: no role given");
        foreach (var role in roles)
            if (!role.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new NodeUsageException($"{rolesSource}: '{role}' is not a role name (letters, digits, '-', '_')");

        var (configText, configSource) = Pick(parsed.GetValue(Config), "--config", Env("FLEETMERGE_CONFIG"), "FLEETMERGE_CONFIG", "");
        string? configFile = null;
        if (configText.Length > 0)
        {
            configFile = Path.GetFullPath(configText);
            if (!File.Exists(configFile)) throw new NodeUsageException($"{configSource}: {configFile}: no such file");
        }

        var (maxBodyText, maxBodySource) = Pick(parsed.GetValue(MaxBody), "--max-body", Env("FLEETMERGE_MAX_BODY"), "FLEETMERGE_MAX_BODY", "64M");
        long maxBody;
        try { maxBody = Units.ParseSize(maxBodyText); }
        catch (StorageException e) { throw new NodeUsageException($"{maxBodySource}: {e.Message}"); }
        if (maxBody < 1024) throw new NodeUsageException($"{maxBodySource}: '{maxBodyText}' is below the smallest limit, 1K");

        var (rateText, rateSource) = Pick(parsed.GetValue(MergeMaxRate), "--merge-max-rate", Env("FLEETMERGE_MERGE_MAX_RATE"), "FLEETMERGE_MERGE_MAX_RATE", "");
        long? mergeMaxRate = null;
        if (rateText.Length > 0)
        {
            try { mergeMaxRate = Units.ParseSize(rateText); }
            catch (StorageException e) { throw new NodeUsageException($"{rateSource}: {e.Message}"); }
            if (mergeMaxRate < 4096) throw new NodeUsageException($"{rateSource}: '{rateText}' is below the smallest rate, 4K per second");
        }

        var (logText, logSource) = Pick(parsed.GetValue(LogFormat), "--log-format", Env("FLEETMERGE_LOG_FORMAT"), "FLEETMERGE_LOG_FORMAT", "simple");
        var logFormat = Observability.NodeLogging.Parse(logText)
            ?? throw new NodeUsageException($"{logSource}: '{logText}' is not a log format (simple or json)");

        var settings = new NodeSettings
        {
            DataDir = Path.GetFullPath(dataDir),
            ApiPort = apiPort,
            ApiBind = bind,
            Persistence = kind,
            PostgresConnectionString = postgres,
            AkkaHost = akkaHost,
            AkkaPort = akkaPort,
            Roles = roles,
            ConfigFile = configFile,
            MaxRequestBodyBytes = maxBody,
            MergeMaxBytesPerSecond = mergeMaxRate,
            LogFormat = logFormat,
        };
        return ClusterCommandLine.Apply(settings, parsed, Env, topology, entry, hostId);
    }

    internal static (string Value, string Source) Pick(string? cli, string option, string? env, string variable, string fallback) =>
        cli is not null ? (cli.Trim(), option) : env is not null ? (env, variable) : (fallback, "default");

    private static int Port(string option, string? cli, string variable, string? env, int fallback)
    {
        var (text, source) = Pick(cli, option, env, variable, "");
        if (source == "default") return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535
            ? port
            : throw new NodeUsageException($"{source}: '{text}' is not a port (0 to 65535)");
    }

    private static IPAddress ParseBind(string text, string source) => text.ToLowerInvariant() switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "any" => IPAddress.Any,
        _ when IPAddress.TryParse(text, out var address) => address,
        _ => throw new NodeUsageException($"{source}: '{text}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)"),
    };

    internal static void ValidatePostgres(string connectionString, string source)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new NodeUsageException($"{source}: not a valid Npgsql connection string: {OneLine(e.Message)}");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new NodeUsageException($"{source}: the connection string names no Host");
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
