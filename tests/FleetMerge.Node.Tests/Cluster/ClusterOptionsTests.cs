using FleetMerge.Node.Settings;
using FleetMerge.Node.Tests.Fixtures;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>The cluster options: option → environment → topology file → default, and one-line refusals.</summary>
public sealed class ClusterOptionsTests
{
    private const string Pg = "Host=127.0.0.1;Port=55432;Database=fleet;Username=fleetmerge;Password=fleetmerge";

    private static NodeSettings Parse(string[] args, Dictionary<string, string>? env = null)
    {
        var parsed = NodeCommandLine.BuildCommand().Parse(args);
        Assert.Empty(parsed.Errors);
        return NodeCommandLine.Resolve(parsed, name => env is not null && env.TryGetValue(name, out var v) ? v : null, () => "machine-1");
    }

    private static string Refused(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<NodeUsageException>(() => Parse(args, env)).Message;

    [Fact]
    public void Defaults_are_a_one_node_cluster_named_after_the_machine_on_the_default_journal()
    {
        var s = Parse([]);
        Assert.Empty(s.SeedNodes);
        Assert.Null(s.ClusterConfigFile);
        Assert.Null(s.ClusterNode);
        Assert.Equal("machine-1", s.HostId);
        Assert.Empty(s.Labels);
        Assert.Equal(0, s.SimulateHosts);
        Assert.Null(s.SimulateFaults);
        Assert.Equal(4L << 20, s.SimulateVolumeSizeBytes);
        Assert.Null(s.FleetPostgresConnectionString);
        Assert.Null(s.FleetJournalPluginId);
        Assert.Null(s.FleetSnapshotPluginId);
        Assert.Equal(NodeSettings.DefaultHostId(), NodeCommandLine.Parse([], _ => null).HostId);
    }

    [Fact]
    public void Options_win_over_the_environment()
    {
        var env = new Dictionary<string, string>
        {
            ["FLEETMERGE_SEED_NODES"] = "10.0.0.1:4101",
            ["FLEETMERGE_HOST_ID"] = "env-host",
            ["FLEETMERGE_LABELS"] = "env=staging, rack=r9",
            ["FLEETMERGE_SIMULATE_HOSTS"] = "5",
            ["FLEETMERGE_SIMULATE_FAULTS"] = "env-faults",
            ["FLEETMERGE_SIMULATE_VOLUME_SIZE"] = "8M",
            ["FLEETMERGE_FLEET_POSTGRES"] = Pg + ";Search Path=env",
        };
        var fromEnv = Parse([], env);
        Assert.Equal(["akka.tcp://fleetmerge@10.0.0.1:4101"], fromEnv.SeedNodes);
        Assert.Equal("env-host", fromEnv.HostId);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "staging", ["rack"] = "r9" }, fromEnv.Labels);
        Assert.Equal(5, fromEnv.SimulateHosts);
        Assert.Equal("env-faults", fromEnv.SimulateFaults);
        Assert.Equal(8L << 20, fromEnv.SimulateVolumeSizeBytes);
        Assert.Equal(Pg + ";Search Path=env", fromEnv.FleetPostgresConnectionString);

        var fromArgs = Parse(
        [
            "--seed-nodes", "127.0.0.1:4101, akka.tcp://fleetmerge@127.0.0.1:4102",
            "--host-id", "db-07.example",
            "--label", "env=prod", "--label", "rack=r1",
            "--simulate-hosts", "100", "--simulate-faults", "merge-fail=5%", "--simulate-volume-size", "1M",
            "--fleet-postgres", Pg,
        ], env);
        Assert.Equal(["akka.tcp://fleetmerge@127.0.0.1:4101", "akka.tcp://fleetmerge@127.0.0.1:4102"], fromArgs.SeedNodes);
        Assert.Equal("db-07.example", fromArgs.HostId);
        // --label replaces the environment's labels, it does not add to them.
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["rack"] = "r1" }, fromArgs.Labels);
        Assert.Equal(100, fromArgs.SimulateHosts);
        Assert.Equal("merge-fail=5%", fromArgs.SimulateFaults);
        Assert.Equal(1L << 20, fromArgs.SimulateVolumeSizeBytes);
        Assert.Equal(Pg, fromArgs.FleetPostgresConnectionString);
    }

    [Fact]
    public void The_fleet_journal_is_a_second_plugin_only_with_fleet_postgres()
    {
        var fleet = Parse(["--fleet-postgres", Pg]);
        Assert.Equal("akka.persistence.journal.fleet-sql", fleet.FleetJournalPluginId);
        Assert.Equal("akka.persistence.snapshot-store.fleet-sql", fleet.FleetSnapshotPluginId);
        // The host's journal stays the node's own SQLite file.
        Assert.Equal(PersistenceKind.Sqlite, fleet.Persistence);

        // --persistence postgres alone: the coordinator shares the node's (PostgreSQL) default journal.
        var shared = Parse(["--persistence", "postgres", "--postgres", Pg]);
        Assert.Null(shared.FleetJournalPluginId);
        Assert.Null(shared.FleetSnapshotPluginId);
    }

    [Theory]
    [InlineData("--seed-nodes", "127.0.0.1", "--seed-nodes: '127.0.0.1' is not a cluster address")]
    [InlineData("--seed-nodes", "127.0.0.1:99999", "--seed-nodes: '127.0.0.1:99999': '99999' is not a port")]
    [InlineData("--seed-nodes", "akka.tcp://other@127.0.0.1:4101", "the actor system is 'other', every FleetMerge node's is 'fleetmerge'")]
    [InlineData("--seed-nodes", "akka://fleetmerge@127.0.0.1:4101", "the protocol is akka, the nodes speak akka.tcp")]
    [InlineData("--seed-nodes", "127.0.0.1:4101,127.0.0.1:4101", "--seed-nodes: akka.tcp://fleetmerge@127.0.0.1:4101 is given twice")]
    [InlineData("--seed-nodes", " , ", "--seed-nodes: no seed node given")]
    [InlineData("--host-id", "-bad", "--host-id: '-bad' is not a host id")]
    [InlineData("--label", "env", "--label: 'env' is not a label (key=value)")]
    [InlineData("--label", "e nv=prod", "--label: 'e nv' is not a label key")]
    [InlineData("--label", "env=pr,od", "is not a value for label 'env'")]
    [InlineData("--simulate-hosts", "many", "--simulate-hosts: 'many' is not a number of hosts (0 to 10000)")]
    [InlineData("--simulate-hosts", "10001", "--simulate-hosts: '10001' is not a number of hosts")]
    [InlineData("--simulate-volume-size", "4097", "--simulate-volume-size: '4097' is not a simulated volume size (a multiple of 4K, at least 64K)")]
    [InlineData("--simulate-volume-size", "lots", "--simulate-volume-size: ")]
    [InlineData("--fleet-postgres", "Port=5432", "--fleet-postgres: the connection string names no Host")]
    [InlineData("--cluster-node", "node1", "--cluster-node names a topology node, but no --cluster-config")]
    [InlineData("--cluster-config", "/nonexistent/topology.conf", "--cluster-config: /nonexistent/topology.conf: no such file")]
    public void Bad_values_are_refused_in_one_line_naming_the_option(string option, string value, string message)
    {
        string error = Refused([option, value]);
        Assert.Contains(message, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_label_given_twice_is_refused_and_environment_errors_name_the_variable()
    {
        Assert.Equal("--label: label 'env' is given twice", Refused(["--label", "env=a", "--label", "env=b"]));
        Assert.StartsWith("FLEETMERGE_SEED_NODES: ", Refused([], new() { ["FLEETMERGE_SEED_NODES"] = "nope" }));
        Assert.StartsWith("FLEETMERGE_LABELS: ", Refused([], new() { ["FLEETMERGE_LABELS"] = "a=1,=2" }));
        Assert.StartsWith("FLEETMERGE_FLEET_POSTGRES: ", Refused([], new() { ["FLEETMERGE_FLEET_POSTGRES"] = "Database=x" }));
    }

    [Fact]
    public void A_topology_entry_gives_this_nodes_ports_roles_and_seeds_below_options_and_environment()
    {
        using var dir = new TempDir("fleetmerge-topology");
        string file = dir.File("three.conf");
        File.WriteAllText(file, """
            fleetmerge.cluster {
              seed-nodes = ["10.1.0.1:4101", "akka.tcp://fleetmerge@10.1.0.2:4101"]
              nodes {
                alpha { akka-host = "10.1.0.1", akka-port = 4101, api-port = 7501, roles = [host, coordinator, api] }
                beta { akka-port = 4102, roles = [host] }
              }
            }
            akka.cluster.split-brain-resolver.stable-after = 5s
            """);

        var alpha = Parse(["--cluster-config", file, "--cluster-node", "alpha"]);
        Assert.Equal(file, alpha.ClusterConfigFile);
        Assert.Equal("alpha", alpha.ClusterNode);
        Assert.Equal("10.1.0.1", alpha.AkkaHost);
        Assert.Equal(4101, alpha.AkkaPort);
        Assert.Equal(7501, alpha.ApiPort);
        Assert.Equal(["host", "coordinator", "api"], alpha.Roles);
        Assert.Equal(["akka.tcp://fleetmerge@10.1.0.1:4101", "akka.tcp://fleetmerge@10.1.0.2:4101"], alpha.SeedNodes);

        // Without --cluster-node the entry named like the host id is this node's.
        var beta = Parse(["--cluster-config", file, "--host-id", "beta"]);
        Assert.Equal("beta", beta.ClusterNode);
        Assert.Equal(4102, beta.AkkaPort);
        Assert.Equal(NodeSettings.DefaultApiPort, beta.ApiPort);
        Assert.Equal(["host"], beta.Roles);

        // No entry: the seeds still apply, the rest is default.
        var other = Parse(["--cluster-config", file]);
        Assert.Null(other.ClusterNode);
        Assert.Equal(NodeSettings.DefaultAkkaPort, other.AkkaPort);
        Assert.Equal(2, other.SeedNodes.Count);

        // The environment and the options win over the entry.
        var env = new Dictionary<string, string> { ["FLEETMERGE_CLUSTER_CONFIG"] = file, ["FLEETMERGE_CLUSTER_NODE"] = "alpha", ["FLEETMERGE_AKKA_PORT"] = "5000" };
        var overridden = Parse(["--roles", "api", "--seed-nodes", "10.9.9.9:1"], env);
        Assert.Equal("alpha", overridden.ClusterNode);
        Assert.Equal(5000, overridden.AkkaPort);
        Assert.Equal(7501, overridden.ApiPort);
        Assert.Equal(["api"], overridden.Roles);
        Assert.Equal(["akka.tcp://fleetmerge@10.9.9.9:1"], overridden.SeedNodes);

        Assert.Equal($"--cluster-node: {file} has no node 'gamma' (it has: alpha, beta)", Refused(["--cluster-config", file, "--cluster-node", "gamma"]));
    }

    [Theory]
    [InlineData("fleetmerge.cluster.seed-nodes = ${nowhere}", "is not valid HOCON")]
    [InlineData("akka.loglevel = INFO", "has no fleetmerge.cluster section (see cluster-config/README.md)")]
    [InlineData("fleetmerge.cluster.seed-nodes = [\"nowhere\"]", "fleetmerge.cluster.seed-nodes: 'nowhere' is not a cluster address")]
    [InlineData("fleetmerge.cluster.nodes.n1.akka-port = 70000", "fleetmerge.cluster.nodes.n1.akka-port: '70000' is not a port")]
    [InlineData("fleetmerge.cluster.nodes.n1.roles = [\"bad role\"]", "'bad role' is not a role name")]
    public void A_broken_topology_file_is_refused_naming_the_file_and_the_key(string content, string message)
    {
        using var dir = new TempDir("fleetmerge-topology");
        string file = dir.File("broken.conf");
        File.WriteAllText(file, content);
        string error = Refused(["--cluster-config", file, "--host-id", "n1"]);
        Assert.Contains(message, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void The_loopback_topology_of_the_repository_describes_three_nodes_two_of_them_coordinators()
    {
        string file = Path.Combine(RepositoryRoot(), "cluster-config", "loopback-3.conf");
        var nodes = new[] { "node1", "node2", "node3" }.Select(n => Parse(["--cluster-config", file, "--cluster-node", n])).ToList();
        Assert.Equal([4101, 4102, 4103], nodes.Select(n => n.AkkaPort));
        Assert.Equal([7501, 7502, 7503], nodes.Select(n => n.ApiPort));
        Assert.All(nodes, n => Assert.Equal(["akka.tcp://fleetmerge@127.0.0.1:4101", "akka.tcp://fleetmerge@127.0.0.1:4102"], n.SeedNodes));
        Assert.Equal([true, true, false], nodes.Select(n => n.Roles.Contains(NodeRoles.Coordinator)));
        Assert.All(nodes, n => Assert.Contains(NodeRoles.Host, n.Roles));
    }

    /// <summary>The checkout the tests were built from (the folder with FleetMerge.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FleetMerge.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no FleetMerge.sln above {AppContext.BaseDirectory}");
    }
}
