using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FleetMerge.Bench.Cpu;
using FleetMerge.Bench.Processes;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// Merge through the node against the offline <c>fleetmerge cow merge</c> of the same data. Both
/// sides start from the same origin bytes (the whole volume) and a snapshot of 4 KiB chunks whose
/// COW holds every chunk of the volume as an exception, written through the real paths: the offline
/// side with <c>cow format</c> + <c>cow write --to origin</c>, the node side with <c>lv snapshot</c> +
/// <c>lv write</c> to the origin (each write copies the old chunks). Each iteration builds both
/// afresh and merges both.
/// <para>
/// Offline time: the merge as <c>cow merge --json</c> reports it (<c>seconds</c>, the copy loop
/// inside the process), so the process start is not charged to the baseline. Node time: from the
/// POST of the merge request to the first GET that says <c>complete</c> (polled every 10 ms): the
/// HTTP request, the journaled intent, the start, the copy, the progress checkpoints, the removal
/// of the merged snapshot (LVM's end of a merge, which the offline tool leaves to its user) and
/// the journaled completion. <see cref="MergeTimeline"/> splits the node's time into copy and finish.
/// </para>
/// <para>
/// CPU per merged GiB: the node process's utime + stime (/proc/PID/stat) from just before the POST
/// to the poll that says complete, summed over the iterations (the node is otherwise idle; the
/// polls are charged to it), over the GiB merged. Baseline: the CPU of the whole <c>cow merge</c>
/// process (getrusage of the reaped child) less that of <c>fleetmerge --version</c> run just
/// before it, the same runtime's start and command line, so neither side pays a process start.
/// </para>
/// </summary>
public static class NodeMergeFigure
{
    public const string Name = "merge through the node vs cow merge";
    public const double Target = 0.9;
    private const int ChunkBytes = 4096;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int iterations)
    {
        long volume = BenchFiles.VolumeBytes;
        long changed = volume; // every chunk: the longest merge a volume of this size can have
        long cowBytes = BenchFiles.CowBytesFor(changed, ChunkBytes);
        string dir = BenchFiles.FreshDir("node-merge");
        string before = Path.Combine(dir, "before.bin"), after = Path.Combine(dir, "after.bin");
        BenchFiles.FillFile(before, volume, 11);
        BenchFiles.FillFile(after, changed, 12);
        string originImg = Path.Combine(dir, "origin.img"), cowImg = Path.Combine(dir, "cow.img");

        Progress.Say($"merge: node on {dir}/node-data, volume {volume >> 20} MiB, {changed >> 20} MiB of exceptions in 4 KiB chunks, {iterations} iterations");
        var (node, api) = await NodeProcess.StartAsync(Path.Combine(dir, "node-data"));
        await using var _ = node;
        using var client = new NodeApi(api, node.TokenFile);
        string[] at = ["--node", api, "--token-file", node.TokenFile];
        ChildProcess.Cli(["vg", "create", "vg0", .. at]).Ok();
        ChildProcess.Cli(["lv", "create", "vg0/root", "--size", Bytes(volume), .. at]).Ok();
        ChildProcess.Cli(["lv", "write", "vg0/root", "--offset", "0", "--in", before, .. at]).Ok();

        var offline = new List<TimeSpan>();
        var offlineProcess = new List<TimeSpan>();
        var viaNode = new List<TimeSpan>();
        TimeSpan nodeCpu = TimeSpan.Zero, offlineCpu = TimeSpan.Zero, floorCpu = TimeSpan.Zero;
        long exceptions = changed / ChunkBytes;

        void Offline()
        {
            // A fresh origin and COW, then the merge as a real process.
            CopyDurably(before, originImg);
            File.Delete(cowImg);
            ChildProcess.Cli("cow", "format", cowImg, "--size", Bytes(cowBytes), "--chunk-size", "4K").Ok();
            ChildProcess.Cli("cow", "write", "--origin", originImg, "--cow", cowImg, "--to", "origin", "--offset", "0", "--in", after).Ok();
            var cpu = ChildrenCpu.Now();
            ChildProcess.Cli("--version").Ok();
            var between = ChildrenCpu.Now();
            var merged = ChildProcess.Cli("cow", "merge", "--origin", originImg, "--cow", cowImg, "--json").Ok();
            offlineCpu += ChildrenCpu.Now() - between;
            floorCpu += between - cpu;
            using var json = JsonDocument.Parse(merged.Stdout);
            var root = json.RootElement;
            long initial = root.GetProperty("initialExceptions").GetInt64();
            if (initial != exceptions || !root.GetProperty("complete").GetBoolean())
                throw new InvalidOperationException($"cow merge: {initial} exceptions (expected {exceptions}), complete {root.GetProperty("complete")}");
            offline.Add(TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()));
            offlineProcess.Add(merged.Elapsed);
        }

        async Task ThroughNode(string snapshot)
        {
            // A new snapshot (a new name: the journal keeps finished merges by name), the same writes, the merge.
            ChildProcess.Cli(["lv", "snapshot", "vg0/root", "--name", snapshot, "--size", Bytes(cowBytes), "--chunk-size", "4K", .. at]).Ok();
            ChildProcess.Cli(["lv", "write", "vg0/root", "--offset", "0", "--in", after, .. at]).Ok();
            var cpu = ProcCpu.Of(node.Pid);
            var clock = Stopwatch.StartNew();
            var state = await client.RequestMergeAsync("vg0", snapshot);
            while (state.State is "running" or "pending")
            {
                await Task.Delay(Poll);
                state = await client.MergeStateAsync("vg0", snapshot);
            }
            var took = clock.Elapsed;
            nodeCpu += ProcCpu.Of(node.Pid) - cpu;
            if (state.State != "complete" || state.InitialExceptions != exceptions)
                throw new InvalidOperationException($"node merge of vg0/{snapshot}: {state.State}, {state.InitialExceptions} exceptions (expected {exceptions}) {state.Error}");
            viaNode.Add(took);
        }

        for (int i = 1; i <= iterations; i++)
        {
            // Each side goes first in every other iteration, so neither always finds the other's writeback in progress.
            if (i % 2 == 1) { Offline(); await ThroughNode($"s{i}"); }
            else { await ThroughNode($"s{i}"); Offline(); }
            Progress.Say($"merge {i}/{iterations}: offline {offline[^1].TotalMilliseconds:F0} ms (process {offlineProcess[^1].TotalMilliseconds:F0} ms), node {viaNode[^1].TotalMilliseconds:F0} ms, {exceptions} exceptions each");
        }
        await node.StopAsync();
        var timelines = MergeTimeline.Read(Path.Combine(node.DataDir, "journal.db"));

        double nodeMs = Median.Ms(viaNode), offlineMs = Median.Ms(offline);
        Progress.Say($"merge: same work on both sides: chunk {ChunkBytes} bytes, {exceptions} exceptions ({changed >> 20} MiB), " +
            $"COW {cowBytes} bytes; median offline {offlineMs:F0} ms (whole process {Median.Ms(offlineProcess):F0} ms), node {nodeMs:F0} ms");
        if (timelines.Count == iterations)
            Progress.Say($"merge: in the node's journal, median copy {Median.Ms([.. timelines.Select(t => t.Copy)]):F0} ms (MergeStarted to the last checkpoint) " +
                $"and finish {Median.Ms([.. timelines.Select(t => t.Finish)]):F0} ms (snapshot removal + MergeCompleted); the offline merge does only the copy");
        double gib = (double)changed * iterations / (1L << 30);
        Progress.Say($"merge: CPU over {iterations} merges ({gib:F3} GiB): node {nodeCpu.TotalSeconds:F2} s; cow merge processes {offlineCpu.TotalSeconds:F2} s, " +
            $"of which the runtime's start (fleetmerge --version) {floorCpu.TotalSeconds:F2} s");
        return
        [
            Figures.Timed($"{Name} [{exceptions} x 4K exceptions]", nodeMs,
                "fleetmerge cow merge of the same origin + COW (its own merge time, process start excluded)", offlineMs, Target, higherIsBetter: true),
            Figures.Measured($"CPU seconds per merged GiB, through the node [{exceptions} x 4K exceptions]", nodeCpu.TotalSeconds / gib, "s",
                "CPU of the `cow merge` process less that of `fleetmerge --version` (the runtime's start), same data", (offlineCpu - floorCpu).TotalSeconds / gib),
        ];
    }

    private static string Bytes(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The offline origin starts as the node's did: the same bytes, durable before the snapshot exists.</summary>
    private static void CopyDurably(string from, string to)
    {
        File.Copy(from, to, overwrite: true);
        using var stream = new FileStream(to, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
