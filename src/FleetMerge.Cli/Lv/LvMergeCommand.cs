using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FleetMerge.Cli.Node;
using Spectre.Console;

namespace FleetMerge.Cli.Lv;

/// <summary>
/// `lv merge VG/SNAP [--nameorigin|--namesnapshot|--onactivate] [--background] [--json]`, as
/// `lvconvert --merge`: asks the node to merge, then follows the merge (server-sent events, or
/// GET …/merge every 500 ms when the stream is not there) with a progress bar on a terminal and
/// "VG/SNAP: Merged: P%" lines otherwise, and ends with LVM's messages. --background returns
/// once the merge started; --onactivate only marks the snapshot. A merge that fails or stops
/// exits 3; Ctrl-C stops following (130) while the node goes on merging.
/// </summary>
public static class LvMergeCommand
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public static Command Build(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument("VG/SNAP", "Snapshot to merge into its origin, as VG/SNAP");
        var nameOrigin = new Option<bool>("--nameorigin") { Description = "The result keeps the origin's name, minor and UUID (the default)" };
        var nameSnapshot = new Option<bool>("--namesnapshot") { Description = "The result takes the snapshot's name, minor and UUID" };
        var onActivate = new Option<bool>("--onactivate") { Description = "Only mark the snapshot: the merge starts at the next activation" };
        var background = new Option<bool>("--background", "-b") { Description = "Return once the merge has started; `fleetmerge lv list` shows Merge%" };
        var json = LvPalette.JsonOption("Print the merge's final state (or, with --background/--onactivate, its first) as JSON");
        var command = new Command("merge", "Merge a snapshot into its origin (lvconvert --merge)")
        {
            target, nameOrigin, nameSnapshot, onActivate, background, json,
        };
        command.Validators.Add(result =>
        {
            int modes = new[] { nameOrigin, nameSnapshot, onActivate }.Count(o => result.GetValue(o));
            if (modes > 1) result.AddError("--nameorigin, --namesnapshot and --onactivate exclude each other");
        });
        command.SetAction((r, cancel) => RemoteRun.Guard(() =>
        {
            var snapshot = VolumeRef.Parse(r.GetValue(target)!, "VG/SNAP");
            string mode = r.GetValue(nameSnapshot) ? "namesnapshot" : r.GetValue(onActivate) ? "onactivate" : "nameorigin";
            return Run(node.Resolve(r), snapshot, mode, r.GetValue(background), r.GetValue(json), cancel);
        }, cancel));
        return command;
    }

    private static async Task<int> Run(NodeTarget target, VolumeRef snapshot, string mode, bool background, bool json, CancellationToken cancel)
    {
        using var client = new NodeClient(target);
        string path = $"{NodeClient.VolumePath(snapshot.Vg, snapshot.Lv)}/merge";
        var answer = await client.SendAsync(HttpMethod.Post, path, new ApiRequests.StartMerge(mode), cancel);
        var state = client.Decode<MergeState>(answer, $"POST {path}");
        string origin = $"{snapshot.Vg}/{state.Origin ?? "?"}";

        bool deferred = mode == "onactivate" || (state.State == "pending" && await OriginInactive(client, snapshot.Vg, state.Origin, cancel));
        if (deferred || (background && !state.IsTerminal))
        {
            if (json) ApiJson.Write(answer);
            else if (deferred) Console.Out.WriteLine($"Merging of snapshot {snapshot} will occur on next activation of {origin}.");
            else Console.Out.WriteLine($"Merging of volume {snapshot} started.");
            return ExitCodes.Ok;
        }

        if (!json) Console.Out.WriteLine($"Merging of volume {snapshot} started.");
        MergeState final;
        try
        {
            final = state.IsTerminal ? state : await Follow(client, snapshot, state, json, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new NodeException($"stopped following the merge of {snapshot}; it goes on in the node (`fleetmerge lv list {snapshot.Vg}` shows Merge%)",
                ExitCodes.Interrupted);
        }
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(final, ApiJson.Options.Indented()));
        string percent = Percent(final.Percent);
        switch (final.State)
        {
            case "complete":
                if (json) return ExitCodes.Ok;
                if (mode == "namesnapshot")
                {
                    Console.Out.WriteLine($"Merge of snapshot into logical volume {snapshot} has finished.");
                    if (final.SnapshotRemoved) Console.Out.WriteLine($"Logical volume \"{final.Origin ?? "?"}\" successfully removed; its data now is {snapshot}.");
                }
                else
                {
                    Console.Out.WriteLine($"Merge of snapshot into logical volume {origin} has finished.");
                    if (final.SnapshotRemoved) Console.Out.WriteLine($"Logical volume \"{snapshot.Lv}\" successfully removed.");
                }
                return ExitCodes.Ok;
            case "failed":
                throw new NodeException($"merge of {snapshot} into {origin} failed at {percent}%: {Reason(final) ?? "no reason given"}", ExitCodes.Failed);
            default:
                throw new NodeException($"merge of {snapshot} into {origin} stopped at {percent}%{(Reason(final) is { } why ? $" ({why})" : "")}; "
                    + $"it resumes at the next activation of {origin}", ExitCodes.Failed);
        }
    }

    private static string? Reason(MergeState state) =>
        !string.IsNullOrWhiteSpace(state.Error) ? NodeClient.OneLine(state.Error)
        : !string.IsNullOrWhiteSpace(state.Status) ? NodeClient.OneLine(state.Status) : null;

    private static string Percent(double? value) => (value ?? 0).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A pending merge whose origin is inactive waits for the next activation (as lvconvert says).</summary>
    private static async Task<bool> OriginInactive(NodeClient client, string vg, string? origin, CancellationToken cancel)
    {
        if (origin is null) return false;
        var rows = await client.SendAsync<List<LvRow>>(HttpMethod.Get, $"lvs?vg={NodeClient.Segment(vg)}", null, cancel);
        return rows.FirstOrDefault(v => v.Name == origin) is { Active: false };
    }

    private static async Task<MergeState> Follow(NodeClient client, VolumeRef snapshot, MergeState first, bool json, CancellationToken cancel)
    {
        if (json) return await Watch(client, snapshot, _ => { }, cancel);
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            string? last = null;
            void Line(MergeState s)
            {
                string text = $"{snapshot}: Merged: {Percent(s.Percent)}%";
                if (text == last) return;
                last = text;
                Console.Out.WriteLine(text);
            }
            Line(first);
            return await Watch(client, snapshot, Line, cancel);
        }
        MergeState final = first;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"merging {snapshot}", maxValue: 100);
                task.Value = first.Percent ?? 0;
                final = await Watch(client, snapshot, s => task.Value = Math.Clamp(s.Percent ?? 0, 0, 100), cancel);
                if (final.State == "complete") task.Value = 100;
            });
        return final;
    }

    /// <summary>Events while the node streams them; GET …/merge every <see cref="PollInterval"/> otherwise.</summary>
    private static async Task<MergeState> Watch(NodeClient client, VolumeRef snapshot, Action<MergeState> show, CancellationToken cancel)
    {
        var final = await client.FollowMergeEventsAsync(snapshot.Vg, snapshot.Lv, show, cancel);
        string path = $"{NodeClient.VolumePath(snapshot.Vg, snapshot.Lv)}/merge";
        while (final is null)
        {
            await Task.Delay(PollInterval, cancel);
            var state = await client.SendAsync<MergeState>(HttpMethod.Get, path, null, cancel);
            show(state);
            if (state.IsTerminal) final = state;
        }
        return final;
    }

    private static JsonSerializerOptions Indented(this JsonSerializerOptions options) =>
        new(options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
