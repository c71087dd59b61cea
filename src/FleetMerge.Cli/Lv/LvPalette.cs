using System.CommandLine;
using FleetMerge.Cli.Node;

namespace FleetMerge.Cli.Lv;

/// <summary>
/// `fleetmerge lv …`: logical volumes, snapshots and merges of a running node, through its HTTP
/// API, in LVM's words (lvs, lvcreate, lvcreate -s, lvremove, lvrename, lvchange -ay/-an,
/// lvconvert --merge) and FleetMerge's grammar (VG/LV, one palette).
/// </summary>
public static class LvPalette
{
    public static Command Build()
    {
        var node = new NodeOptions();
        var command = new Command("lv", "Logical volumes, snapshots and merges of a running node")
        {
            LvCommands.List(node),
            LvCommands.Create(node),
            LvCommands.Snapshot(node),
            LvCommands.Remove(node),
            LvCommands.Rename(node),
            LvCommands.Activate(node, activate: true),
            LvCommands.Activate(node, activate: false),
            LvDataCommands.Read(node),
            LvDataCommands.Write(node),
            LvMergeCommand.Build(node),
        };
        node.AddTo(command);
        return command;
    }

    internal static Argument<string> VolumeArgument(string name = "VG/LV", string description = "Logical volume, as VG/LV") =>
        new(name) { Description = description };

    internal static Option<bool> JsonOption(string description = "Print the node's answer (the volume's lvs row) as JSON") =>
        new("--json") { Description = description };
}
