using Akka.Configuration;

namespace FleetMerge.Node.Settings;

/// <summary>One node of a topology file: the defaults it gives that node (null = not given).</summary>
public sealed record TopologyNode(string Name, string? AkkaHost, int? AkkaPort, int? ApiPort, IReadOnlyList<string>? Roles);

/// <summary>
/// A topology file (cluster-config/*.conf): HOCON whose <c>fleetmerge.cluster</c> section lists the
/// seed nodes and, per node name, the defaults of that node:
/// <code>
/// fleetmerge.cluster {
///   seed-nodes = ["127.0.0.1:4101", "127.0.0.1:4102"]
///   nodes.node1 { akka-host = "127.0.0.1", akka-port = 4101, api-port = 7501, roles = [host, coordinator, api] }
/// }
/// </code>
/// Everything else in the file (akka { … }) is applied to every node like --config.
/// </summary>
public sealed record ClusterTopology(string File, IReadOnlyList<string> SeedNodes, IReadOnlyDictionary<string, TopologyNode> Nodes)
{
    public const string Section = "fleetmerge.cluster";

    /// <summary>Reads and checks the file; every problem is a <see cref="NodeUsageException"/> naming the file and the key.</summary>
    public static ClusterTopology Load(string path, string source)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeUsageException($"{source}: cannot read {path}: {e.Message}");
        }
        Config config;
        try { config = ConfigurationFactory.ParseString(text); }
        catch (Exception e)
        {
            throw new NodeUsageException($"{source}: {path} is not valid HOCON: {NodeCommandLine.OneLine(e.Message)}");
        }
        return From(config, path, source);
    }

    public static ClusterTopology From(Config config, string path, string source)
    {
        string where = $"{source}: {path}";
        if (!config.HasPath(Section))
            throw new NodeUsageException($"{where} has no {Section} section (see cluster-config/README.md)");
        var cluster = config.GetConfig(Section);

        var seeds = new List<string>();
        if (cluster.HasPath("seed-nodes"))
        {
            foreach (string seed in Strings(cluster, "seed-nodes", where))
            {
                try { seeds.Add(ClusterAddress.Parse(seed, Actors.NodeAkka.SystemName)); }
                catch (FormatException e) { throw new NodeUsageException($"{where}: {Section}.seed-nodes: {e.Message}"); }
            }
        }

        var nodes = new SortedDictionary<string, TopologyNode>(StringComparer.Ordinal);
        if (cluster.HasPath("nodes"))
        {
            var entries = cluster.GetConfig("nodes");
            foreach (var (name, _) in entries.AsEnumerable())
            {
                string key = $"{Section}.nodes.{name}";
                var node = entries.GetConfig(name);
                if (node is null || node.IsEmpty) throw new NodeUsageException($"{where}: {key} is not an object");
                string? host = node.HasPath("akka-host") ? node.GetString("akka-host") : null;
                int? akkaPort = node.HasPath("akka-port") ? Port(node, "akka-port", $"{where}: {key}") : null;
                int? apiPort = node.HasPath("api-port") ? Port(node, "api-port", $"{where}: {key}") : null;
                IReadOnlyList<string>? roles = node.HasPath("roles") ? Strings(node, "roles", $"{where}: {key}") : null;
                nodes[name] = new TopologyNode(name, host, akkaPort, apiPort, roles);
            }
        }
        return new ClusterTopology(path, seeds, nodes);
    }

    private static IReadOnlyList<string> Strings(Config config, string key, string where)
    {
        try { return [.. config.GetStringList(key)]; }
        catch (Exception e) when (e is not NodeUsageException)
        {
            throw new NodeUsageException($"{where}: {key} must be a list of strings");
        }
    }

    private static int Port(Config config, string key, string where)
    {
        string text = config.GetString(key) ?? "";
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port <= 65535
            ? port
            : throw new NodeUsageException($"{where}.{key}: '{text}' is not a port (0 to 65535)");
    }
}
