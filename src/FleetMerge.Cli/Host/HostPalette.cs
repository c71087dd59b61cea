using System.CommandLine;
using System.Globalization;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Host;

/// <summary>`fleetmerge host list|show`: the fleet's hosts as the coordinator sees them (labels, reachability, volumes, COW use, merges).</summary>
public static class HostPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("host", "Hosts of the fleet, as the coordinator sees them") { List(node), Show(node) };
        node.AddTo(command);
        return command;
    }

    private static Command List(NodeOptions node)
    {
        var selector = new Option<string?>("--hosts", "-s") { Description = "Only hosts this selector matches: all, key=value, key=a|b, key!=value, host=GLOB (comma = and)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per host, as the API gives it" };
        var command = new Command("list", "List the hosts: reachability, state, labels, volumes, merges") { selector, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            string? s = r.GetValue(selector);
            var answer = await client.GetAsync(s is null ? "hosts" : $"hosts?selector={Uri.EscapeDataString(s)}", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var hosts = client.Decode<List<HostRow>>(answer, "GET hosts");
            if (hosts.Count == 0) return ExitCodes.Ok;
            Console.Out.Write(LvmFormat.Table(
                [("HOST", false), ("REACH", false), ("STATE", false), ("#LV", true), ("#SNAP", true), ("MAXDATA%", true), ("FREE", true), ("LABELS", false)],
                hosts.Select(h => new[]
                {
                    h.HostId, h.Reachability ?? "", h.State ?? "", $"{(h.Volumes ?? []).Count(v => v.Origin is null)}",
                    $"{(h.Volumes ?? []).Count(v => v.Origin is not null)}", LvmFormat.Percent((h.Volumes ?? []).Max(v => v.DataPercent)),
                    LvmFormat.Size(h.FreeBytes), h.LabelText,
                })));
            var counts = hosts.GroupBy(h => h.State ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
            Console.Out.WriteLine($"  {hosts.Count} hosts: {string.Join(", ", counts)}; {hosts.Count(h => h.Reachability != "reachable")} not reachable");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Show(NodeOptions node)
    {
        var host = new Argument<string>("HOST") { Description = "Host id" };
        var json = new Option<bool>("--json") { Description = "The host as JSON" };
        var command = new Command("show", "One host: identity, labels, reachability and its volumes (lvs)") { host, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync($"hosts/{NodeClient.Segment(r.GetValue(host)!)}", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var h = client.Decode<HostRow>(answer, "GET hosts/{id}");
            Console.Out.WriteLine($"Host {h.HostId}{(h.Simulated ? " (simulated)" : "")}");
            Console.Out.WriteLine($"  node          {h.Node}");
            Console.Out.WriteLine($"  reachability  {h.Reachability}");
            Console.Out.WriteLine($"  state         {h.State}");
            Console.Out.WriteLine($"  incarnation   {h.Incarnation}");
            Console.Out.WriteLine($"  labels        {h.LabelText}");
            Console.Out.WriteLine($"  free          {LvmFormat.Size(h.FreeBytes)}");
            Console.Out.WriteLine($"  last report   {h.LastReport?.ToString("u", CultureInfo.InvariantCulture)}");
            var volumes = h.Volumes ?? [];
            if (volumes.Count > 0)
                Console.Out.Write(LvmFormat.Table(
                    [("LV", false), ("VG", false), ("Attr", false), ("LSize", true), ("Origin", false), ("Data%", true), ("Merge%", true)],
                    volumes.Select(v => new[] { v.Name, v.Vg, v.Attr ?? "", LvmFormat.Size(v.SizeBytes), v.Origin ?? "", LvmFormat.Percent(v.DataPercent), LvmFormat.Percent(v.MergePercent) })));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
