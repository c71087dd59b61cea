using System.CommandLine;
using FleetMerge.Cli.Node;
using Spectre.Console;

namespace FleetMerge.Cli.Campaign;

/// <summary>
/// `campaign status ID [--watch] [--json]`. Without --watch: the campaign once (exit 0). With
/// --watch: redrawn every second on a terminal, or one line per change of a host's step or outcome
/// when the output is a pipe, until the campaign is over; exit 0 when it completed, 3 when it
/// failed or was aborted, 130 on Ctrl-C (the campaign goes on).
/// </summary>
public static class CampaignStatusCommand
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static Command Build(NodeOptions node)
    {
        var id = CampaignPalette.IdArgument();
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the campaign live until it ends" };
        var json = new Option<bool>("--json") { Description = "The campaign as JSON (state, waves, one entry per host with its outcome, timeline)" };
        var command = new Command("status", "A campaign: state, waves, every host's step and outcome") { id, watch, json };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            using var client = new NodeClient(node.Resolve(r));
            string campaign = r.GetValue(id)!;
            if (r.GetValue(watch) && !r.GetValue(json)) return await WatchAsync(client, campaign, cancel);
            var answer = await client.GetAsync(Path(campaign), cancel);
            if (r.GetValue(watch))
            {
                // --watch --json: the final state as JSON once the campaign is over.
                var detail = client.Decode<CampaignDetail>(answer, "GET campaigns/{id}");
                while (!detail.IsOver)
                {
                    await Task.Delay(PollInterval, cancel);
                    answer = await client.GetAsync(Path(campaign), cancel);
                    detail = client.Decode<CampaignDetail>(answer, "GET campaigns/{id}");
                }
                ApiJson.Write(answer);
                return ExitFor(detail);
            }
            if (r.GetValue(json)) ApiJson.Write(answer);
            else Console.Out.Write(CampaignReport.Render(client.Decode<CampaignDetail>(answer, "GET campaigns/{id}")));
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    public static async Task<int> WatchAsync(NodeClient client, string id, CancellationToken cancel)
    {
        var detail = await FetchAsync(client, id, cancel);
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            string? lastState = null;
            while (true)
            {
                if (detail.State != lastState) Console.Out.WriteLine($"{detail.Id}: {detail.State}{(detail.Halted is { } h ? $" ({h})" : "")}");
                lastState = detail.State;
                foreach (var host in detail.Hosts ?? [])
                {
                    string line = $"{host.HostId}: {host.Outcome}{(host.Step is { } step ? $" at {step}" : "")}{(host.Detail is { Length: > 0 } d ? $": {NodeClient.OneLine(d)}" : "")}";
                    if (seen.TryGetValue(host.HostId, out var before) && before == line) continue;
                    if (host.Outcome == "pending" && !seen.ContainsKey(host.HostId)) { seen[host.HostId] = line; continue; }
                    seen[host.HostId] = line;
                    Console.Out.WriteLine($"{detail.Id} {line}");
                }
                if (detail.IsOver) break;
                await Task.Delay(PollInterval, cancel);
                detail = await FetchAsync(client, id, cancel);
            }
            Console.Out.WriteLine($"{detail.Id}: {detail.State}; {CampaignReport.Counts(detail.Hosts ?? [])}");
            return ExitFor(detail);
        }
        await AnsiConsole.Live(new Text(CampaignReport.Render(detail))).StartAsync(async live =>
        {
            while (!detail.IsOver)
            {
                await Task.Delay(PollInterval, cancel);
                detail = await FetchAsync(client, id, cancel);
                live.UpdateTarget(new Text(CampaignReport.Render(detail)));
            }
        });
        return ExitFor(detail);
    }

    private static string Path(string id) => $"campaigns/{NodeClient.Segment(id)}";

    private static Task<CampaignDetail> FetchAsync(NodeClient client, string id, CancellationToken cancel) =>
        client.SendAsync<CampaignDetail>(HttpMethod.Get, Path(id), null, cancel);

    private static int ExitFor(CampaignDetail detail) => detail.State == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
}
