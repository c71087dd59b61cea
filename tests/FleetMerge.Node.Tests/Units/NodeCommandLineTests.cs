using System.Net;
using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Tests.Units;

/// <summary>Option → environment → default, for every setting.</summary>
public sealed class NodeCommandLineTests
{
    private static NodeSettings Parse(string[] args, Dictionary<string, string>? env = null) =>
        NodeCommandLine.Parse(args, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    private static string Refused(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<NodeUsageException>(() => Parse(args, env)).Message;

    [Fact]
    public void Defaults()
    {
        var s = Parse([]);
        Assert.Equal(Path.GetFullPath("./data"), s.DataDir);
        Assert.Equal(7420, s.ApiPort);
        Assert.Equal(IPAddress.Loopback, s.ApiBind);
        Assert.Equal(PersistenceKind.Sqlite, s.Persistence);
        Assert.Null(s.PostgresConnectionString);
        Assert.Equal("127.0.0.1", s.AkkaHost);
        Assert.Equal(0, s.AkkaPort);
        Assert.Equal(["host", "coordinator", "api"], s.Roles);
        Assert.Null(s.ConfigFile);
        Assert.Equal(64L << 20, s.MaxRequestBodyBytes);
        Assert.Equal(Path.Combine(s.DataDir, "api-token"), s.TokenFilePath);
        Assert.Equal(Path.Combine(s.DataDir, "node.lock"), s.LockFilePath);
        Assert.Equal(Path.Combine(s.DataDir, "journal.db"), s.JournalDbPath);
    }

    [Fact]
    public void Environment_overrides_defaults_and_options_override_the_environment()
    {
        var env = new Dictionary<string, string>
        {
            ["FLEETMERGE_DATA_DIR"] = "/tmp/env-data",
            ["FLEETMERGE_API_PORT"] = "8000",
            ["FLEETMERGE_API_BIND"] = "0.0.0.0",
            ["FLEETMERGE_AKKA_PORT"] = "4053",
            ["FLEETMERGE_AKKA_HOST"] = "node1.example",
            ["FLEETMERGE_ROLES"] = "host, api",
            ["FLEETMERGE_MAX_BODY"] = "2M",
        };
        var fromEnv = Parse([], env);
        Assert.Equal("/tmp/env-data", fromEnv.DataDir);
        Assert.Equal(8000, fromEnv.ApiPort);
        Assert.Equal(IPAddress.Any, fromEnv.ApiBind);
        Assert.Equal(4053, fromEnv.AkkaPort);
        Assert.Equal("node1.example", fromEnv.AkkaHost);
        Assert.Equal(["host", "api"], fromEnv.Roles);
        Assert.Equal(2L << 20, fromEnv.MaxRequestBodyBytes);

        var fromArgs = Parse(["--data-dir", "/tmp/arg-data", "--api-port", "0", "--api-bind", "::1", "--akka-port", "0", "--roles", "coordinator", "--max-body", "512K"], env);
        Assert.Equal("/tmp/arg-data", fromArgs.DataDir);
        Assert.Equal(0, fromArgs.ApiPort);
        Assert.Equal(IPAddress.IPv6Loopback, fromArgs.ApiBind);
        Assert.Equal(0, fromArgs.AkkaPort);
        Assert.Equal(["coordinator"], fromArgs.Roles);
        Assert.Equal(512L << 10, fromArgs.MaxRequestBodyBytes);
    }

    [Fact]
    public void Postgres_by_option_or_environment()
    {
        const string cs = "Host=127.0.0.1;Port=55432;Database=fleetmerge;Username=fleetmerge;Password=fleetmerge";
        var byOption = Parse(["--persistence", "postgres", "--postgres", cs]);
        Assert.Equal(PersistenceKind.Postgres, byOption.Persistence);
        Assert.Equal(cs, byOption.PostgresConnectionString);

        var byEnv = Parse([], new() { ["FLEETMERGE_PERSISTENCE"] = "postgres", ["FLEETMERGE_POSTGRES"] = cs });
        Assert.Equal(PersistenceKind.Postgres, byEnv.Persistence);

        // A connection string in the environment alone does not switch a node away from SQLite.
        var stillSqlite = Parse([], new() { ["FLEETMERGE_POSTGRES"] = cs });
        Assert.Equal(PersistenceKind.Sqlite, stillSqlite.Persistence);
        Assert.Null(stillSqlite.PostgresConnectionString);

        Assert.Equal(PersistenceKind.Sqlite, Parse(["--persistence", "sqlite"], new() { ["FLEETMERGE_PERSISTENCE"] = "postgres" }).Persistence);
    }

    [Theory]
    [InlineData(new[] { "--api-port", "65536" }, "--api-port: '65536' is not a port")]
    [InlineData(new[] { "--persistence", "postgres" }, "--persistence postgres needs a connection string")]
    [InlineData(new[] { "--persistence", "oracle" }, "--persistence: 'oracle' is not a persistence kind")]
    [InlineData(new[] { "--postgres", "Host=x" }, "--postgres is given but persistence is sqlite")]
    [InlineData(new[] { "--persistence", "postgres", "--postgres", "Hots=x" }, "--postgres: not a valid Npgsql connection string")]
    [InlineData(new[] { "--api-bind", "loopback-ish" }, "--api-bind: 'loopback-ish' is not an IP address")]
    [InlineData(new[] { "--roles", "host,bad role" }, "--roles: 'bad role' is not a role name")]
    [InlineData(new[] { "--config", "/nonexistent/extra.conf" }, "--config: /nonexistent/extra.conf: no such file")]
    [InlineData(new[] { "--max-body", "lots" }, "--max-body: size 'lots' is not a number")]
    [InlineData(new[] { "--api-port", "x" }, "--api-port: 'x' is not a port (0 to 65535)")]
    [InlineData(new[] { "--akka-port", "-1" }, "--akka-port: '-1' is not a port")]
    public void Bad_options_name_the_option(string[] args, string expected) => Assert.Contains(expected, Refused(args));

    [Fact]
    public void Bad_environment_values_name_the_variable()
    {
        Assert.Contains("FLEETMERGE_API_PORT: 'seven' is not a port", Refused([], new() { ["FLEETMERGE_API_PORT"] = "seven" }));
        Assert.Contains("FLEETMERGE_PERSISTENCE: 'mongo'", Refused([], new() { ["FLEETMERGE_PERSISTENCE"] = "mongo" }));
        Assert.Contains("FLEETMERGE_API_BIND", Refused([], new() { ["FLEETMERGE_API_BIND"] = "nowhere" }));
    }

    [Fact]
    public void An_empty_environment_variable_counts_as_unset()
    {
        Assert.Equal(7420, Parse([], new() { ["FLEETMERGE_API_PORT"] = "  " }).ApiPort);
    }
}
