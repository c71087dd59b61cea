using System.CommandLine;
using FleetMerge.Cli.Node;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;

namespace FleetMerge.Cli.Lv;

/// <summary>`lv list|create|snapshot|remove|rename|activate|deactivate`.</summary>
public static class LvCommands
{
    public static Command List(NodeOptions node)
    {
        var vg = new Argument<string?>("VG") { Description = "Only this volume group", Arity = ArgumentArity.ZeroOrOne };
        var json = LvPalette.JsonOption("One JSON object per volume: name, vg, attr, size_bytes, origin, data_percent, merge_percent, uuid, minor");
        var command = new Command("list", "List logical volumes as lvs does: LV, VG, Attr, LSize, Origin, Data%, Merge%, UUID, Minor") { vg, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            string? group = r.GetValue(vg) is { } g ? VolumeRef.Group(g) : null;
            using var client = new NodeClient(node.Resolve(r));
            string path = group is null ? "lvs" : $"lvs?vg={NodeClient.Segment(group)}";
            var answer = await client.GetAsync(path, cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var rows = client.Decode<List<LvRow>>(answer, $"GET {path}");
            if (rows.Count > 0) Console.Out.Write(Table(rows));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    /// <summary>The lvs-like table (LSize of a snapshot is its COW size, as lvs shows it).</summary>
    public static string Table(IEnumerable<LvRow> rows) => LvmFormat.Table(
        [("LV", false), ("VG", false), ("Attr", false), ("LSize", true), ("Origin", false), ("Data%", true), ("Merge%", true), ("UUID", false), ("Minor", true)],
        rows.Select(v => new[]
        {
            v.Name, v.Vg, v.Attr ?? "", LvmFormat.Size(v.SizeBytes), v.Origin ?? "",
            LvmFormat.Percent(v.DataPercent), LvmFormat.Percent(v.MergePercent), v.Uuid ?? "", v.Minor is { } m ? $"{m}" : "",
        }));

    public static Command Create(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument();
        var size = new Option<string>("--size", "-L") { Description = "Size (K/M/G suffixes, powers of 1024)", Required = true };
        var json = LvPalette.JsonOption();
        var command = new Command("create", "Create a logical volume (lvcreate -L SIZE -n LV VG)") { target, size, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            long bytes = PositiveSize(r.GetValue(size), "--size");
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"vgs/{NodeClient.Segment(lv.Vg)}/lvs", new ApiRequests.CreateLv(lv.Lv, bytes), cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.WriteLine($"Logical volume \"{lv.Lv}\" created.");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static Command Snapshot(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument("VG/LV", "Origin volume, as VG/LV");
        var name = new Option<string>("--name", "-n") { Description = "Name of the snapshot", Required = true };
        var size = new Option<string>("--size", "-L") { Description = "Size of the snapshot's COW store (K/M/G)", Required = true };
        var chunk = new Option<string>("--chunk-size", "-c") { Description = "Chunk size, a power of two from 4K to 512K", DefaultValueFactory = _ => "4K" };
        var json = LvPalette.JsonOption();
        var command = new Command("snapshot", "Take a copy-on-write snapshot of a volume (lvcreate -s -L SIZE -n SNAP VG/LV)") { target, name, size, chunk, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var origin = VolumeRef.Parse(r.GetValue(target)!);
            string snapshot = VolumeRef.Volume(r.GetValue(name)!);
            long bytes = PositiveSize(r.GetValue(size), "--size");
            long chunkBytes = Arguments.Size(r.GetValue(chunk), "--chunk-size");
            try { ChunkGeometry.FromBytes(chunkBytes); }
            catch (BadRequestException e) { throw new BadRequestException($"--chunk-size: {e.Message}"); }
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"{NodeClient.VolumePath(origin.Vg, origin.Lv)}/snapshots",
                new ApiRequests.CreateSnapshot(snapshot, bytes, chunkBytes), cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.WriteLine($"Logical volume \"{snapshot}\" created.");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static Command Remove(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument();
        var command = new Command("remove", "Remove a logical volume or snapshot (lvremove)") { target };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            using var client = new NodeClient(node.Resolve(r));
            await client.SendAsync(HttpMethod.Delete, NodeClient.VolumePath(lv.Vg, lv.Lv), null, cancel);
            Console.Out.WriteLine($"Logical volume \"{lv.Lv}\" successfully removed.");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static Command Rename(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument();
        var newName = new Argument<string>("NEWNAME") { Description = "New name (NEW or VG/NEW in the same group)" };
        var json = LvPalette.JsonOption();
        var command = new Command("rename", "Rename a logical volume within its group (lvrename)") { target, newName, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            string text = r.GetValue(newName)!;
            string renamed;
            if (text.Contains('/'))
            {
                var to = VolumeRef.Parse(text, "NEWNAME");
                if (to.Vg != lv.Vg)
                    throw new BadRequestException($"cannot rename {lv} to {to}: a volume stays in its group ({lv.Vg})");
                renamed = to.Lv;
            }
            else renamed = VolumeRef.Volume(text);
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"{NodeClient.VolumePath(lv.Vg, lv.Lv)}/rename", new ApiRequests.Rename(renamed), cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.WriteLine($"Renamed \"{lv.Lv}\" to \"{renamed}\" in volume group \"{lv.Vg}\"");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static Command Activate(NodeOptions node, bool activate)
    {
        var target = LvPalette.VolumeArgument();
        var json = LvPalette.JsonOption();
        var command = activate
            ? new Command("activate", "Activate a volume with its origin family; a marked merge starts (lvchange -ay)") { target, json }
            : new Command("deactivate", "Deactivate a volume with its origin family (lvchange -an)") { target, json };
        string verb = activate ? "activate" : "deactivate";
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"{NodeClient.VolumePath(lv.Vg, lv.Lv)}/{verb}", null, cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.WriteLine($"Logical volume \"{lv}\" is now {(activate ? "active" : "inactive")}.");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    internal static long PositiveSize(string? text, string option)
    {
        long bytes = Arguments.Size(text, option);
        if (bytes <= 0) throw new BadRequestException($"{option} must be more than 0");
        return bytes;
    }
}
