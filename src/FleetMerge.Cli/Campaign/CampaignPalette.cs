using System.CommandLine;
using System.Globalization;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Campaign;

/// <summary>
/// `fleetmerge campaign start|list|status|pause|resume|abort`: snapshot-before-upgrade, rollback by
/// merge-on-reboot and commit, across the fleet in waves. `status --watch` follows a campaign live
/// and exits 0 when it completed, 3 when it failed or was aborted.
/// </summary>
public static class CampaignPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("campaign", "Fleet campaigns: snapshot before upgrade, rollback by merge on reboot, commit")
        {
            CampaignStartCommand.Build(node),
            List(node),
            CampaignStatusCommand.Build(node),
            Change(node, "pause", "Pause: no new step starts; steps in flight finish"),
            Change(node, "resume", "Resume a paused campaign"),
            Change(node, "abort", "Abort: no new step starts; hosts not started are skipped"),
        };
        node.AddTo(command);
        return command;
    }

    internal static Argument<string> IdArgument() => new("ID") { Description = "Campaign id (as `campaign start` printed it)" };

    private static Command List(NodeOptions node)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per campaign" };
        var command = new Command("list", "List the campaigns, newest first") { json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.GetAsync("campaigns", cancel);
            if (r.GetValue(json))
            {
                ApiJson.Write(answer);
                return ExitCodes.Ok;
            }
            var campaigns = client.Decode<List<CampaignRow>>(answer, "GET campaigns");
            if (campaigns.Count == 0) return ExitCodes.Ok;
            Console.Out.Write(LvmFormat.Table(
                [("ID", false), ("KIND", false), ("STATE", false), ("HOSTS", true), ("OK", true), ("FAILED", true), ("RUNNING", true), ("CREATED", false), ("OF", false), ("POLICY", false)],
                campaigns.Select(c => new[]
                {
                    c.Id, c.Kind ?? "", c.State ?? "", $"{c.HostCount}", $"{c.Succeeded}", $"{c.Failed}", $"{c.Running}",
                    c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), c.Of ?? "", c.Policy ?? "",
                })));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    private static Command Change(NodeOptions node, string verb, string description)
    {
        var id = IdArgument();
        var json = new Option<bool>("--json") { Description = "Print the campaign after the change as JSON" };
        var command = new Command(verb, description) { id, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            var answer = await client.SendAsync(HttpMethod.Post, $"campaigns/{NodeClient.Segment(r.GetValue(id)!)}/{verb}", null, cancel);
            if (r.GetValue(json)) ApiJson.Write(answer);
            else
            {
                var campaign = client.Decode<CampaignDetail>(answer, $"POST campaigns/{{id}}/{verb}");
                Console.Out.WriteLine($"Campaign {campaign.Id} is {campaign.State}");
            }
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
