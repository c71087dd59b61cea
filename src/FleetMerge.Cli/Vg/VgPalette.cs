using System.CommandLine;
using System.Text.Json;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Vg;

/// <summary>
/// `fleetmerge vg create|list|activate|deactivate`: volume groups of a running node, through its
/// HTTP API (vgcreate, vgs, vgchange -ay/-an).
/// </summary>
public static class VgPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("vg", "Volume groups of a running node (file-backed, in its data directory)")
        {
            Create(node),
            List(node),
            Activate(node),
            Deactivate(node),
        };
        node.AddTo(command);
        return command;
    }

    private static Argument<string> GroupArgument() => new("VG") { Description = "Volume group name" };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the node's answer as JSON" };

    private static Command Create(NodeOptions node)
    {
        var vg = GroupArgument();
        var json = JsonOption();
        var command = new Command("create", "Create a file-backed volume group in the node's data directory (vgcreate)") { vg, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string name = VolumeRef.Group(r.GetValue(vg)!);
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, "vgs", new ApiRequests.CreateVg(name), cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.WriteLine($"Volume group \"{name}\" successfully created");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command List(NodeOptions node)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per group: name, uuid, volumes, active_volumes" };
        var command = new Command("list", "List the node's volume groups (vgs)") { json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync("vgs", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var groups = client.Decode<List<VgRow>>(answer, "GET vgs");
            if (groups.Count == 0) return ExitCodes.Ok;
            Console.Out.Write(LvmFormat.Table(
                [("VG", false), ("#LV", true), ("#Active", true), ("UUID", false)],
                groups.Select(g => new[] { g.Name, $"{g.Volumes}", $"{g.ActiveVolumes}", g.Uuid ?? "" })));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Activate(NodeOptions node)
    {
        var vg = GroupArgument();
        var json = JsonOption();
        var command = new Command("activate", "Activate every volume of a group; merges marked onactivate or interrupted start (vgchange -ay)") { vg, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string name = VolumeRef.Group(r.GetValue(vg)!);
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"vgs/{NodeClient.Segment(name)}/activate", null, cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            Console.Out.WriteLine($"Volume group \"{name}\" is now active");
            foreach (string merge in Items(answer, "started_merges", "snapshot"))
                Console.Out.WriteLine($"Merging of volume {(merge.Contains('/') ? merge : $"{name}/{merge}")} started.");
            foreach (string note in Items(answer, "notes", "note"))
                Console.Out.WriteLine(NodeClient.OneLine(note));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Deactivate(NodeOptions node)
    {
        var vg = GroupArgument();
        var command = new Command("deactivate", "Deactivate every volume of a group (vgchange -an)") { vg };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string name = VolumeRef.Group(r.GetValue(vg)!);
            using var client = new NodeClient(node.Resolve(r));
            await client.SendAsync(HttpMethod.Post, $"vgs/{NodeClient.Segment(name)}/deactivate", null, cancel);
            Console.Out.WriteLine($"Volume group \"{name}\" is now inactive");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    /// <summary>The strings of an array property; objects give their <paramref name="field"/> (or their JSON).</summary>
    private static IEnumerable<string> Items(JsonElement answer, string property, string field)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var item in list.EnumerateArray())
            yield return item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Object when item.TryGetProperty(field, out var f) && f.ValueKind == JsonValueKind.String => f.GetString()!,
                _ => item.GetRawText(),
            };
    }
}
