using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;

namespace FleetMerge.Node.Settings;

/// <summary>
/// The cluster, host identity, simulation and fleet-journal options (the rest is in
/// <see cref="NodeCommandLine"/>). Same rule: option, then environment variable, then default;
/// a topology file (<c>--cluster-config</c>) sits between the environment and the defaults:
/// <code>
///   --seed-nodes A,B              FLEETMERGE_SEED_NODES          topology's seed-nodes, else none (join itself)
///   --cluster-config FILE         FLEETMERGE_CLUSTER_CONFIG      (none)
///   --cluster-node NAME           FLEETMERGE_CLUSTER_NODE        the host id, when the topology has that node
///   --host-id ID                  FLEETMERGE_HOST_ID             the machine's host name
///   --label KEY=VALUE (repeat)    FLEETMERGE_LABELS (k=v,k=v)    none
///   --simulate-hosts N            FLEETMERGE_SIMULATE_HOSTS      0
///   --simulate-first N            FLEETMERGE_SIMULATE_FIRST      1
///   --simulate-faults SPEC        FLEETMERGE_SIMULATE_FAULTS     (none)
///   --simulate-volume-size SIZE   FLEETMERGE_SIMULATE_VOLUME_SIZE 4M
///   --fleet-postgres CONNSTR      FLEETMERGE_FLEET_POSTGRES      (none: the coordinator uses the default journal)
/// </code>
/// </summary>
public static partial class ClusterCommandLine
{
    public const int MaxSimulatedHosts = 10_000;
    public const long MinSimulatedVolumeBytes = 64 << 10;

    private static readonly Option<string?> SeedNodes = new("--seed-nodes") { HelpName = "HOST:PORT,…", Description = "Seed nodes to join (HOST:PORT or akka.tcp://fleetmerge@HOST:PORT, comma-separated); none = a one-node cluster [env FLEETMERGE_SEED_NODES; default: the topology's]" };
    private static readonly Option<string?> ClusterConfig = new("--cluster-config") { HelpName = "FILE", Description = "Topology file (HOCON, cluster-config/): seed nodes, per-node ports and roles; its akka settings apply like --config [env FLEETMERGE_CLUSTER_CONFIG]" };
    private static readonly Option<string?> ClusterNode = new("--cluster-node") { HelpName = "NAME", Description = "This node's entry in the topology file [env FLEETMERGE_CLUSTER_NODE; default: the host id, if the topology has it]" };
    private static readonly Option<string?> HostId = new("--host-id") { HelpName = "ID", Description = "This host's id in the fleet [env FLEETMERGE_HOST_ID; default: the machine's host name]" };
    private static readonly Option<string[]> Label = new("--label") { HelpName = "KEY=VALUE", Description = "A host label for selectors, repeatable (env=prod, rack=r1) [env FLEETMERGE_LABELS, comma-separated]", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> SimulateHosts = new("--simulate-hosts") { HelpName = "N", Description = "Simulated hosts to run on this node, each with its own data directory [env FLEETMERGE_SIMULATE_HOSTS; default 0]" };
    private static readonly Option<string?> SimulateFirst = new("--simulate-first") { HelpName = "N", Description = "Number of this node's first simulated host (sim-0011 is 11), so the nodes of a cluster simulate disjoint hosts [env FLEETMERGE_SIMULATE_FIRST; default 1]" };
    private static readonly Option<string?> SimulateFaults = new("--simulate-faults") { HelpName = "SPEC", Description = "Faults of the simulated hosts (see the host layer's README) [env FLEETMERGE_SIMULATE_FAULTS; default none]" };
    private static readonly Option<string?> SimulateVolumeSize = new("--simulate-volume-size") { HelpName = "SIZE", Description = "Origin volume size of each simulated host, K/M/G suffixes [env FLEETMERGE_SIMULATE_VOLUME_SIZE; default 4M]" };
    private static readonly Option<string?> FleetPostgres = new("--fleet-postgres") { HelpName = "CONNSTR", Description = "PostgreSQL for the fleet journal (campaigns, policies), shared by the coordinator nodes [env FLEETMERGE_FLEET_POSTGRES; default: the node's journal]" };

    public static IEnumerable<Option> All => [SeedNodes, ClusterConfig, ClusterNode, HostId, Label, SimulateHosts, SimulateFirst, SimulateFaults, SimulateVolumeSize, FleetPostgres];

    /// <summary>Who this node is: the topology file, its entry for this node, and the host id (needed before ports and roles resolve).</summary>
    public static (ClusterTopology? Topology, TopologyNode? Entry, string HostId) Locate(ParseResult parsed, Func<string, string?> env, Func<string> defaultHostId)
    {
        var (idText, idSource) = NodeCommandLine.Pick(parsed.GetValue(HostId), "--host-id", env("FLEETMERGE_HOST_ID"), "FLEETMERGE_HOST_ID", "");
        string hostId = idSource == "default" ? defaultHostId() : idText;
        if (!HostIdPattern().IsMatch(hostId))
            throw new NodeUsageException($"{(idSource == "default" ? "the machine's host name" : idSource)}: '{hostId}' is not a host id (letters, digits, '.', '-', '_'; starting and ending with a letter or digit; at most 253){(idSource == "default" ? "; give --host-id" : "")}");

        var (fileText, fileSource) = NodeCommandLine.Pick(parsed.GetValue(ClusterConfig), "--cluster-config", env("FLEETMERGE_CLUSTER_CONFIG"), "FLEETMERGE_CLUSTER_CONFIG", "");
        var (nodeText, nodeSource) = NodeCommandLine.Pick(parsed.GetValue(ClusterNode), "--cluster-node", env("FLEETMERGE_CLUSTER_NODE"), "FLEETMERGE_CLUSTER_NODE", "");
        if (fileText.Length == 0)
        {
            if (nodeText.Length > 0) throw new NodeUsageException($"{nodeSource} names a topology node, but no --cluster-config (or FLEETMERGE_CLUSTER_CONFIG) is given");
            return (null, null, hostId);
        }
        string file = Path.GetFullPath(fileText);
        if (!File.Exists(file)) throw new NodeUsageException($"{fileSource}: {file}: no such file");
        var topology = ClusterTopology.Load(file, fileSource);

        TopologyNode? entry;
        if (nodeText.Length > 0)
        {
            if (!topology.Nodes.TryGetValue(nodeText, out entry))
                throw new NodeUsageException($"{nodeSource}: {file} has no node '{nodeText}' (it has: {(topology.Nodes.Count == 0 ? "none" : string.Join(", ", topology.Nodes.Keys))})");
        }
        else
        {
            topology.Nodes.TryGetValue(hostId, out entry);
        }
        return (topology, entry, hostId);
    }

    /// <summary>The settings of this file's options on top of <paramref name="settings"/> (already resolved by <see cref="NodeCommandLine"/>).</summary>
    public static NodeSettings Apply(NodeSettings settings, ParseResult parsed, Func<string, string?> env, ClusterTopology? topology, TopologyNode? entry, string hostId)
    {
        var (seedText, seedSource) = NodeCommandLine.Pick(parsed.GetValue(SeedNodes), "--seed-nodes", env("FLEETMERGE_SEED_NODES"), "FLEETMERGE_SEED_NODES", "");
        IReadOnlyList<string> seeds = seedSource == "default" ? topology?.SeedNodes ?? [] : ParseSeeds(seedText, seedSource);

        string[] labelOptions = parsed.GetValue(Label) ?? [];
        IReadOnlyDictionary<string, string> labels = labelOptions.Length > 0
            ? HostLabels.Parse(labelOptions, "--label")
            : env("FLEETMERGE_LABELS") is { } envLabels ? HostLabels.Parse(HostLabels.SplitList(envLabels), "FLEETMERGE_LABELS") : HostLabels.Empty;

        var (hostsText, hostsSource) = NodeCommandLine.Pick(parsed.GetValue(SimulateHosts), "--simulate-hosts", env("FLEETMERGE_SIMULATE_HOSTS"), "FLEETMERGE_SIMULATE_HOSTS", "0");
        if (!int.TryParse(hostsText, NumberStyles.None, CultureInfo.InvariantCulture, out int simulateHosts) || simulateHosts > MaxSimulatedHosts)
            throw new NodeUsageException($"{hostsSource}: '{hostsText}' is not a number of hosts (0 to {MaxSimulatedHosts})");

        var (firstText, firstSource) = NodeCommandLine.Pick(parsed.GetValue(SimulateFirst), "--simulate-first", env("FLEETMERGE_SIMULATE_FIRST"), "FLEETMERGE_SIMULATE_FIRST", "1");
        if (!int.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out int simulateFirst) || simulateFirst < 1 || simulateFirst > 9_999_999)
            throw new NodeUsageException($"{firstSource}: '{firstText}' is not a host number (1 or more)");

        var (faultsText, _) = NodeCommandLine.Pick(parsed.GetValue(SimulateFaults), "--simulate-faults", env("FLEETMERGE_SIMULATE_FAULTS"), "FLEETMERGE_SIMULATE_FAULTS", "");

        var (sizeText, sizeSource) = NodeCommandLine.Pick(parsed.GetValue(SimulateVolumeSize), "--simulate-volume-size", env("FLEETMERGE_SIMULATE_VOLUME_SIZE"), "FLEETMERGE_SIMULATE_VOLUME_SIZE", "4M");
        long volumeSize;
        try { volumeSize = Units.ParseSize(sizeText); }
        catch (StorageException e) { throw new NodeUsageException($"{sizeSource}: {e.Message}"); }
        if (volumeSize < MinSimulatedVolumeBytes || volumeSize % 4096 != 0)
            throw new NodeUsageException($"{sizeSource}: '{sizeText}' is not a simulated volume size (a multiple of 4K, at least 64K)");

        string? cliFleet = parsed.GetValue(FleetPostgres);
        string? fleet = cliFleet is not null ? cliFleet.Trim() : env("FLEETMERGE_FLEET_POSTGRES");
        if (fleet is not null)
        {
            if (fleet.Length == 0) throw new NodeUsageException("--fleet-postgres: the connection string is empty");
            NodeCommandLine.ValidatePostgres(fleet, cliFleet is not null ? "--fleet-postgres" : "FLEETMERGE_FLEET_POSTGRES");
        }

        return settings with
        {
            SeedNodes = seeds,
            ClusterConfigFile = topology?.File,
            ClusterNode = entry?.Name,
            HostId = hostId,
            Labels = labels,
            SimulateHosts = simulateHosts,
            SimulateFirst = simulateFirst,
            SimulateFaults = faultsText.Length > 0 ? faultsText : null,
            SimulateVolumeSizeBytes = volumeSize,
            FleetPostgresConnectionString = fleet,
        };
    }

    /// <summary>Comma-separated seeds in canonical form; the same seed twice is refused (a typo, most likely).</summary>
    public static IReadOnlyList<string> ParseSeeds(string text, string source)
    {
        var seeds = new List<string>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string seed;
            try { seed = ClusterAddress.Parse(item, Actors.NodeAkka.SystemName); }
            catch (FormatException e) { throw new NodeUsageException($"{source}: {e.Message}"); }
            if (seeds.Contains(seed)) throw new NodeUsageException($"{source}: {seed} is given twice");
            seeds.Add(seed);
        }
        if (seeds.Count == 0) throw new NodeUsageException($"{source}: no seed node given (HOST:PORT,HOST:PORT; leave the option out for a one-node cluster)");
        return seeds;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex HostIdPattern();
}
