using Akka.Configuration;
using FleetMerge.Bench.Processes;

namespace FleetMerge.Bench.FleetFigures;

/// <summary>
/// The time the cluster is configured to wait after a crash before the singleton may move, read
/// from the hocon/base.conf the measured nodes run with: the failure detector notices a silent
/// member after about one heartbeat interval plus the acceptable pause, the split-brain resolver
/// downs it once the membership has been stable for stable-after, and the singleton starts
/// elsewhere down-removal-margin after the removal. No failover can be faster than their sum; what
/// the measured time adds on top is gossip, the singleton's start, the coordinator's recovery from
/// its journal and the proxies finding it.
/// </summary>
public sealed record FailoverFloor(TimeSpan Heartbeat, TimeSpan AcceptablePause, TimeSpan StableAfter, TimeSpan RemovalMargin)
{
    public TimeSpan Total => Heartbeat + AcceptablePause + StableAfter + RemovalMargin;

    public string Describe() =>
        $"heartbeat {Heartbeat.TotalSeconds:0.###} s + acceptable pause {AcceptablePause.TotalSeconds:0.###} s + stable-after " +
        $"{StableAfter.TotalSeconds:0.###} s + down-removal-margin {RemovalMargin.TotalSeconds:0.###} s = {Total.TotalSeconds:0.###} s";

    public static FailoverFloor OfNode()
    {
        string path = Path.Combine(Path.GetDirectoryName(Binaries.NodeDll)!, "hocon", "base.conf");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the node's base.conf is missing (build src/FleetMerge.Node)");
        return Parse(File.ReadAllText(path));
    }

    public static FailoverFloor Parse(string hocon)
    {
        var config = ConfigurationFactory.ParseString(hocon);
        TimeSpan Get(string key) => config.HasPath(key) ? config.GetTimeSpan(key) : throw new FormatException($"base.conf: no {key}");
        return new FailoverFloor(
            Get("akka.cluster.failure-detector.heartbeat-interval"),
            Get("akka.cluster.failure-detector.acceptable-heartbeat-pause"),
            Get("akka.cluster.split-brain-resolver.stable-after"),
            Get("akka.cluster.down-removal-margin"));
    }
}
