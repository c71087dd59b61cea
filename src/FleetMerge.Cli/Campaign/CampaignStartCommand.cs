using System.CommandLine;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Campaign;

/// <summary>
/// `campaign start snapshot|rollback|commit …`: prints the new campaign's id (and only that, for
/// scripts); `--watch` then follows it like `campaign status --watch`.
/// </summary>
public static class CampaignStartCommand
{
    public static Command Build(NodeOptions node)
    {
        var kind = new Argument<string>("KIND") { Description = "snapshot, rollback or commit" };
        kind.AcceptOnlyFromAmong("snapshot", "rollback", "commit");
        var hosts = new Option<string?>("--hosts") { Description = "Host selector: all, key=value, key=a|b, key!=value, host=GLOB (comma = and); default all" };
        var volumes = new Option<string?>("--volumes") { Description = "snapshot: origins as VG/LV[,VG/LV…]" };
        var size = new Option<string?>("--size") { Description = "snapshot: COW size per snapshot (200M, 1G, or 20% of the origin)" };
        var chunk = new Option<string?>("--chunk-size") { Description = "snapshot: chunk size (default 4K)" };
        var of = new Option<string?>("--of") { Description = "rollback/commit: the snapshot campaign to roll back or commit" };
        var upgrade = new Option<bool>("--upgrade") { Description = "snapshot: run each host's upgrade hook after its snapshot" };
        var health = new Option<bool>("--health") { Description = "snapshot: run each host's health hook after the upgrade" };
        var canary = new Option<int>("--canary") { Description = "Hosts in a first, canary wave (default 0)" };
        var waveSize = new Option<string?>("--wave-size") { Description = "Hosts per wave: a count (10) or a share (25%); default all at once" };
        var inFlight = new Option<int>("--max-in-flight") { Description = "Most hosts working at once (default: the whole wave)" };
        var budget = new Option<string?>("--failure-budget") { Description = "Failed hosts tolerated, count or share (default 0: the first failure halts)" };
        var autoRollback = new Option<bool>("--auto-rollback") { Description = "snapshot: when halted, roll the failed hosts back at once" };
        var timeout = new Option<string?>("--step-timeout") { Description = "Longest one step may take on a host (default 10m)" };
        var window = new Option<string?>("--window") { Description = "Daily maintenance window HH:MM-HH:MM; steps start only inside it" };
        var tz = new Option<string?>("--tz") { Description = "Time zone of --window (IANA id, default UTC)" };
        var watch = new Option<bool>("--watch") { Description = "Follow the campaign until it ends (exit 0 completed, 3 failed/aborted)" };
        var command = new Command("start", "Start a campaign; prints its id")
        {
            kind, hosts, volumes, size, chunk, of, upgrade, health, canary, waveSize, inFlight, budget, autoRollback, timeout, window, tz, watch,
        };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var target = node.Resolve(r);
            using var client = new NodeClient(target);
            var request = new FleetRequests.StartCampaign(
                r.GetValue(kind)!, r.GetValue(hosts), CampaignPaletteShared.Volumes(r.GetValue(volumes)), r.GetValue(size),
                CampaignPaletteShared.ChunkBytes(r.GetValue(chunk)), r.GetValue(of), r.GetValue(upgrade), r.GetValue(health), r.GetValue(canary),
                r.GetValue(waveSize), r.GetValue(inFlight), r.GetValue(budget), r.GetValue(autoRollback), r.GetValue(timeout),
                Window(r.GetValue(window), r.GetValue(tz)));
            var accepted = await client.SendAsync<CampaignAcceptedRow>(HttpMethod.Post, "campaigns", request, cancel);
            Console.Out.WriteLine(accepted.Id);
            if (!r.GetValue(watch)) return ExitCodes.Ok;
            return await CampaignStatusCommand.WatchAsync(client, accepted.Id, cancel);
        }, cancel));
        return command;
    }

    private static FleetRequests.Window? Window(string? text, string? tz)
    {
        if (text is null) return null;
        return text.Split('-') is [var start, var end]
            ? new FleetRequests.Window(start.Trim(), end.Trim(), tz)
            : throw new FleetMerge.Storage.BadRequestException($"--window '{text}': expected HH:MM-HH:MM");
    }
}
