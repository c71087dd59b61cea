using System.CommandLine;
using System.Globalization;
using FleetMerge.Cli.Campaign;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Policy;

/// <summary>`fleetmerge policy add|list|show|remove|run-now`: scheduled pre-upgrade snapshot policies, run by the coordinator.</summary>
public static class PolicyPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("policy", "Scheduled snapshot policies (cron, hosts, volumes, retention)")
        {
            Add(node), List(node), Show(node), Remove(node), RunNow(node),
        };
        node.AddTo(command);
        return command;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "Policy name" };

    private static Command Add(NodeOptions node)
    {
        var name = NameArgument();
        var cron = new Option<string>("--cron") { Description = "Five-field cron schedule, e.g. \"0 3 * * *\"", Required = true };
        var tz = new Option<string?>("--tz") { Description = "IANA time zone the schedule is read in (default UTC)" };
        var hosts = new Option<string>("--hosts") { Description = "Host selector: all, key=value, key=a|b, key!=value, host=GLOB", Required = true };
        var volumes = new Option<string>("--volumes") { Description = "Origins to snapshot, VG/LV[,VG/LV…]", Required = true };
        var size = new Option<string>("--size") { Description = "COW size per snapshot: 200M, 1G or 20% of the origin", Required = true };
        var chunk = new Option<string?>("--chunk-size") { Description = "Snapshot chunk size (default 4K)" };
        var keep = new Option<int>("--keep") { Description = "Snapshots kept per origin (default 3)", DefaultValueFactory = _ => 3 };
        var maxAge = new Option<string?>("--max-age") { Description = "Remove policy snapshots older than this (7d, 12h)" };
        var json = new Option<bool>("--json") { Description = "Print the policy as JSON" };
        var command = new Command("add", "Add a policy: snapshot campaigns on schedule, then pruning beyond retention")
        {
            name, cron, tz, hosts, volumes, size, chunk, keep, maxAge, json,
        };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var request = new FleetRequests.AddPolicy(
                r.GetValue(name)!, r.GetValue(cron)!, r.GetValue(hosts)!, CampaignPaletteShared.Volumes(r.GetValue(volumes)), r.GetValue(size)!,
                r.GetValue(tz), CampaignPaletteShared.ChunkBytes(r.GetValue(chunk)), r.GetValue(keep), r.GetValue(maxAge));
            var answer = await client.SendAsync(HttpMethod.Post, "policies", request, cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else
            {
                var policy = client.Decode<PolicyRow>(answer, "POST policies");
                Console.Out.WriteLine($"Policy {policy.Spec.Name} added; next run {When(policy.NextRun)}");
            }
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command List(NodeOptions node)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per policy" };
        var command = new Command("list", "List the policies: schedule, next run, retention, last result") { json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync("policies", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var policies = client.Decode<List<PolicyRow>>(answer, "GET policies");
            if (policies.Count == 0) return ExitCodes.Ok;
            Console.Out.Write(LvmFormat.Table(
                [("POLICY", false), ("CRON", false), ("TZ", false), ("HOSTS", false), ("VOLUMES", false), ("KEEP", true), ("NEXT RUN", false), ("LAST", false)],
                policies.Select(p => new[]
                {
                    p.Spec.Name, p.Spec.Cron ?? "", p.Spec.TimeZone ?? "", p.Spec.Hosts ?? "", string.Join(",", p.Spec.Volumes ?? []),
                    $"{p.Spec.Keep}", When(p.NextRun), LastRun(p),
                })));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Show(NodeOptions node)
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "The policy as JSON" };
        var command = new Command("show", "One policy with its latest runs") { name, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync($"policies/{NodeClient.Segment(r.GetValue(name)!)}", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var p = client.Decode<PolicyRow>(answer, "GET policies/{name}");
            Console.Out.WriteLine($"Policy {p.Spec.Name}");
            Console.Out.WriteLine($"  schedule   {p.Spec.Cron} ({p.Spec.TimeZone})");
            Console.Out.WriteLine($"  hosts      {p.Spec.Hosts}");
            Console.Out.WriteLine($"  volumes    {string.Join(",", p.Spec.Volumes ?? [])}, size {p.Spec.Size}");
            Console.Out.WriteLine($"  retention  keep {p.Spec.Keep}{(p.Spec.MaxAge is { } age ? $", max age {age}" : "")}");
            Console.Out.WriteLine($"  next run   {When(p.NextRun)}");
            var runs = p.Runs ?? [];
            if (runs.Count > 0)
                Console.Out.Write(LvmFormat.Table(
                    [("DUE", false), ("CAMPAIGN", false), ("STATE", false), ("PRUNED", true), ("NOTE", false)],
                    runs.Select(run => new[] { When(run.Due), run.CampaignId ?? "", run.CampaignState ?? "", $"{run.Pruned}", run.Missed ? "missed, ran late" : "" })));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Remove(NodeOptions node)
    {
        var name = NameArgument();
        var command = new Command("remove", "Remove a policy (its snapshots stay)") { name };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            await client.SendAsync(HttpMethod.Delete, $"policies/{NodeClient.Segment(r.GetValue(name)!)}", null, cancel);
            Console.Out.WriteLine($"Policy {r.GetValue(name)} removed; its snapshots stay");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command RunNow(NodeOptions node)
    {
        var name = NameArgument();
        var command = new Command("run-now", "Run a policy now, out of schedule; prints the campaign id") { name };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var accepted = await client.SendAsync<CampaignAcceptedRow>(HttpMethod.Post, $"policies/{NodeClient.Segment(r.GetValue(name)!)}/run", null, cancel);
            Console.Out.WriteLine(accepted.Id);
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static string When(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string LastRun(PolicyRow p) =>
        p.Runs is { Count: > 0 } runs ? $"{When(runs[0].Due)} {runs[0].CampaignId} {runs[0].CampaignState}" : "-";
}
