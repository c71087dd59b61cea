using System.CommandLine;
using System.Text.Json;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Cluster;

/// <summary>
/// `fleetmerge cluster show|leave|down-unreachable|join`: the Akka cluster as the node at --node
/// sees it, and the operator's membership commands, through the node's HTTP API (/api/v1/cluster).
/// Exit codes as the other node palettes: 0 done, 2 usage, 3 refused by the node (unknown member
/// 404, state 409, …), 4 token, 5 node unreachable.
/// </summary>
public static class ClusterPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("cluster", "The cluster as a node sees it: members, leader, where the coordinator runs; leave, down, join")
        {
            Show(node),
            Leave(node),
            DownUnreachable(node),
            Join(node),
        };
        node.AddTo(command);
        return command;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the node's answer as JSON" };

    private static Command Show(NodeOptions node)
    {
        var json = new Option<bool>("--json") { Description = "The node's view as JSON: self_address, leader, singleton_node, members (oldest first), unreachable, seed_nodes" };
        var command = new Command("show", "Members (oldest first) with status, reachability and roles; leader; where the coordinator singleton runs") { json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync("cluster", cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.Write(ClusterFormat.Show(client.Decode<ClusterStatus>(answer, "GET cluster")));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Leave(NodeOptions node)
    {
        var member = new Argument<string>("NODE") { Description = "The member that leaves: HOST:PORT or akka.tcp://fleetmerge@HOST:PORT" };
        var json = JsonOption();
        var command = new Command("leave", "A member leaves the cluster gracefully: it hands its singletons over, then stops") { member, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string address = MemberAddress.Check(r.GetValue(member)!, "NODE");
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, "cluster/leave", new ClusterRequests.Leave(address), cancel);
            return Report(client, answer, r.GetValue(json), "POST cluster/leave", n => $"Member {n} is leaving the cluster.");
        }, cancel));
        return command;
    }

    private static Command DownUnreachable(NodeOptions node)
    {
        var json = JsonOption();
        var command = new Command("down-unreachable", "Down every member the node sees unreachable now, without waiting for the split-brain resolver") { json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, "cluster/down-unreachable", null, cancel);
            return Report(client, answer, r.GetValue(json), "POST cluster/down-unreachable", n => $"Member {n} is down.");
        }, cancel));
        return command;
    }

    private static Command Join(NodeOptions node)
    {
        var seed = new Argument<string>("SEED") { Description = "A member of the cluster to join: HOST:PORT or akka.tcp://fleetmerge@HOST:PORT" };
        var json = JsonOption();
        var command = new Command("join", "A node that is in no cluster yet (its seeds never answered) joins SEED's cluster") { seed, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string address = MemberAddress.Check(r.GetValue(seed)!, "SEED");
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, "cluster/join", new ClusterRequests.Join(address), cancel);
            return Report(client, answer, r.GetValue(json), "POST cluster/join", n => $"Joining the cluster of {n}.");
        }, cancel));
        return command;
    }

    private static int Report(NodeClient client, JsonElement answer, bool json, string what, Func<string, string> line)
    {
        if (json)
        {
            ApiJson.Write(answer);
            return ExitCodes.Ok;
        }
        var action = client.Decode<ClusterAction>(answer, what);
        foreach (string n in action.Nodes) Console.Out.WriteLine(line(n));
        if (action.Note is { Length: > 0 } note) Console.Out.WriteLine(Capitalised(NodeClient.OneLine(note)) + ".");
        return ExitCodes.Ok;
    }

    /// <summary>The node's note as a sentence: capitalised, unless it starts with an address (akka.tcp://…), and one full stop.</summary>
    private static string Capitalised(string text)
    {
        string sentence = text.TrimEnd('.');
        bool address = sentence.Split(' ', 2)[0].Contains("://", StringComparison.Ordinal);
        return sentence.Length == 0 || address ? sentence : char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }
}
