using System.Globalization;
using System.Text;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Cluster;

/// <summary>How `cluster show` prints: a few summary lines, then one row per member, oldest first.</summary>
public static class ClusterFormat
{
    public static string Show(ClusterStatus status)
    {
        var text = new StringBuilder();
        int up = status.Members.Count(m => m.Status == "up");
        text.Append(CultureInfo.InvariantCulture, $"Cluster seen from {status.SelfAddress} ({status.SelfStatus})\n");
        text.Append(CultureInfo.InvariantCulture, $"  Members:     {status.Members.Count} ({up} up, {status.Unreachable.Count} unreachable)\n");
        text.Append(CultureInfo.InvariantCulture, $"  Leader:      {status.Leader ?? "none"}\n");
        text.Append(CultureInfo.InvariantCulture, $"  Coordinator: {status.SingletonNode ?? "none (no member with role coordinator is up)"}\n");
        if (status.Members.Count == 0) return text.ToString();
        text.Append('\n');
        text.Append(LvmFormat.Table(
            [("Age", true), ("Member", false), ("Status", false), ("Reachability", false), ("Roles", false), ("", false)],
            status.Members.Select(m => new[]
            {
                m.AgeRank.ToString(CultureInfo.InvariantCulture),
                m.Address,
                m.Status,
                m.Reachability,
                string.Join(',', m.Roles),
                Marks(status, m),
            })));
        return text.ToString();
    }

    private static string Marks(ClusterStatus status, ClusterMember member)
    {
        var marks = new List<string>();
        if (member.IsSelf) marks.Add("self");
        if (member.IsLeader) marks.Add("leader");
        if (member.Address == status.SingletonNode) marks.Add("coordinator");
        return string.Join(',', marks);
    }
}
