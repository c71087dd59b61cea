using FleetMerge.Bench.Processes;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// Node start-to-ready: from just before the process start to the ready line on stdout, for an
/// empty data directory (a first boot: journal.db created, schema made, token written) and for a
/// populated one (volume groups to load and activate, a journal to open, volume actors to start).
/// <para>
/// Baseline: start-to-exit of <c>fleetmerge-node --version</c>, the same binary under the same
/// dotnet host. That is the floor no start can go below: the runtime's start, loading the node's
/// assembly and parsing its command line, with none of the node's own work. Measured in the same
/// run because it moves with the machine's load as much as the starts do; the ratio then says how
/// many runtime floors the node's own start-up (ASP.NET Core, the ActorSystem, the cluster's
/// self-join, the journal check, the volume groups) costs.
/// </para>
/// </summary>
public static class NodeStartFigure
{
    public const int Groups = 2, OriginsPerGroup = 4;
    private const long OriginBytes = 16L << 20, CowBytes = 8L << 20, WrittenBytes = 4L << 20;

    public static async Task<IReadOnlyList<Figure>> RunAsync(int runs)
    {
        string dir = BenchFiles.FreshDir("node-start");
        string populated = Path.Combine(dir, "populated");
        await PopulateAsync(populated);

        var floor = new List<TimeSpan>();
        var empty = new List<TimeSpan>();
        var full = new List<TimeSpan>();
        for (int i = 1; i <= runs; i++)
        {
            floor.Add(ChildProcess.Run(Binaries.NodeDll, "--version").Ok().Elapsed);
            empty.Add(await StartAndStopAsync(Path.Combine(dir, $"empty-{i}")));
            full.Add(await StartAndStopAsync(populated));
            Progress.Say($"start {i}/{runs}: --version {floor[^1].TotalMilliseconds:F0} ms, empty data dir {empty[^1].TotalMilliseconds:F0} ms, populated {full[^1].TotalMilliseconds:F0} ms");
        }
        double floorMs = Median.Ms(floor);
        const string baseline = "start to exit of `fleetmerge-node --version` (runtime start + assembly load + command line)";
        return
        [
            Figures.Timed("node start to ready, empty data dir", Median.Ms(empty), baseline, floorMs),
            Figures.Timed($"node start to ready, {Groups} VGs, {Groups * OriginsPerGroup} LVs + {Groups * OriginsPerGroup} snapshots", Median.Ms(full), baseline, floorMs),
        ];
    }

    private static async Task<TimeSpan> StartAndStopAsync(string dataDir)
    {
        var (node, _) = await NodeProcess.StartAsync(dataDir);
        await using (node)
        {
            var ready = node.ReadyAfter;
            await node.StopAsync();
            return ready;
        }
    }

    /// <summary>Volume groups of origins with a snapshot each and some exceptions, made through the API of a real node.</summary>
    private static async Task PopulateAsync(string dataDir)
    {
        Progress.Say($"start: populating {dataDir}: {Groups} VGs x {OriginsPerGroup} LVs of {OriginBytes >> 20} MiB, each with a snapshot holding {WrittenBytes >> 20} MiB");
        var data = new byte[WrittenBytes];
        new Random(21).NextBytes(data);
        var (node, api) = await NodeProcess.StartAsync(dataDir);
        await using (node)
        {
            using var client = new NodeApi(api, node.TokenFile);
            for (int g = 0; g < Groups; g++)
            {
                await client.CreateVgAsync($"vg{g}");
                for (int o = 0; o < OriginsPerGroup; o++)
                {
                    await client.CreateLvAsync($"vg{g}", $"lv{o}", OriginBytes);
                    await client.CreateSnapshotAsync($"vg{g}", $"lv{o}", $"lv{o}-snap", CowBytes);
                    await client.WriteAsync($"vg{g}", $"lv{o}", 0, data);
                }
            }
            await node.StopAsync();
        }
    }
}
