using System.CommandLine;
using FleetMerge.Cli;
using FleetMerge.Cli.Campaign;
using FleetMerge.Cli.Cluster;
using FleetMerge.Cli.Cow;
using FleetMerge.Cli.Host;
using FleetMerge.Cli.Lv;
using FleetMerge.Cli.Policy;
using FleetMerge.Cli.Vg;

var root = new RootCommand("fleetmerge: copy-on-write snapshots and snapshot merge, on one host or a fleet")
{
    CowPalette.Build(),
    VgPalette.Build(),
    LvPalette.Build(),
    HostPalette.Build(),
    CampaignPalette.Build(),
    PolicyPalette.Build(),
    ClusterPalette.Build(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"fleetmerge: {string.Join(' ', error.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))}");
    return ExitCodes.Usage;
}
// SIGINT/SIGTERM cancel the running command's token; a merge then stops within one 4 MiB piece,
// leaving its batches uncommitted, and the process exits 130 on its own.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
