using System.CommandLine;
using System.Diagnostics;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.Volumes;
using Spectre.Console;

namespace FleetMerge.Cli.Cow;

/// <summary>
/// `cow merge --origin O --cow C [--also C2 …] [--progress] [--json] [--max-rate R]`: the kernel's
/// snapshot-merge on plain files. Resumable: killed at any point, the same command finishes the job.
/// </summary>
public static class MergeCommand
{
    public static Command Build()
    {
        var origin = new Option<string>("--origin") { Description = "Origin image (receives the snapshot's content)", Required = true };
        var cow = new Option<string>("--cow") { Description = "COW store of the snapshot to merge", Required = true };
        var also = new Option<string[]>("--also") { Description = "Other snapshots of the same origin: they get their copies first and keep their views" };
        var progress = new Option<bool>("--progress") { Description = "Show progress (a bar on a terminal, percent lines otherwise)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable result" };
        var maxRate = new Option<string?>("--max-rate") { Description = "Limit copying to this many bytes per second (K/M/G), to spare other I/O" };
        var command = new Command("merge", "Merge a snapshot into its origin (resumable)") { origin, cow, also, progress, json, maxRate };
        command.SetAction((r, token) => Task.Run(() => CliRun.Guard(() => Run(
            r.GetValue(origin)!, r.GetValue(cow)!, r.GetValue(also) ?? [], r.GetValue(progress), r.GetValue(json),
            r.GetValue(maxRate) is string rate ? Arguments.Size(rate, "--max-rate") : null, token)), CancellationToken.None));
        return command;
    }

    private static int Run(string originPath, string cowPath, string[] also, bool showProgress, bool json, long? maxRate, CancellationToken cancel)
    {
        if (maxRate is <= 0) throw new BadRequestException("--max-rate must be positive");
        using var files = new CowFiles(originPath, [cowPath, .. also], writable: true);
        var snapshot = files.Snapshots[0];
        var merge = SnapshotMerge.Start(snapshot);
        merge.MaxBytesPerSecond = maxRate;
        var clock = Stopwatch.StartNew();
        bool complete = showProgress ? RunWithProgress(merge, cancel) : merge.Run(cancel: cancel);
        var p = merge.Progress;
        long bytes = p.MergedExceptions * snapshot.Store.Geometry.ChunkBytes;
        if (json)
            Json.Print(new
            {
                origin = originPath, cow = cowPath, also, complete, initialExceptions = p.InitialExceptions,
                mergedExceptions = p.MergedExceptions, remainingExceptions = p.RemainingExceptions,
                status = p.Status, bytesMerged = bytes, seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            });
        else if (complete)
            Console.Out.WriteLine($"merged {cowPath} into {originPath}: {p.MergedExceptions} exceptions ({Units.FormatSize(bytes)}) in {clock.Elapsed.TotalSeconds:F1}s, status {p.Status}");
        if (!complete)
        {
            Console.Error.WriteLine($"fleetmerge: merge interrupted at {p.Percent:F1}% ({p.RemainingExceptions} exceptions left); run the same command to resume");
            return ExitCodes.Interrupted;
        }
        return ExitCodes.Ok;
    }

    private static bool RunWithProgress(SnapshotMerge merge, CancellationToken cancel)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            double lastShown = -1;
            return merge.Run(p =>
            {
                bool done = p.RemainingExceptions == 0;
                if (done ? lastShown >= 100 : p.Percent - lastShown < 1) return;
                lastShown = p.Percent;
                Console.Error.WriteLine($"merge {p.Percent,5:F1}% {p.MergedExceptions}/{p.InitialExceptions} exceptions, status {p.Status}");
            }, cancel);
        }
        bool complete = false;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"merging {merge.Snapshot.Store.Name}", maxValue: Math.Max(1, merge.InitialExceptions));
            complete = merge.Run(p => task.Value = p.MergedExceptions, cancel);
        });
        return complete;
    }
}
