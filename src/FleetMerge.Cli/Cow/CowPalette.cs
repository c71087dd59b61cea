using System.CommandLine;

namespace FleetMerge.Cli.Cow;

/// <summary>`fleetmerge cow …`: the offline toolbox on plain image files, no node needed.</summary>
public static class CowPalette
{
    public static Command Build() => new("cow", "Offline tools for dm-snapshot COW stores on plain files")
    {
        FormatCommand.Build(),
        InspectCommand.Build(),
        VerifyCommand.Build(),
        ReadCommand.Build(),
        WriteCommand.Build(),
        MergeCommand.Build(),
    };
}
