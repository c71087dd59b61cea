using System.CommandLine;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Toolbox;
using Spectre.Console;

namespace FleetMerge.Cli.Cow;

/// <summary>`cow inspect COW [--origin O] [--table] [--json]`.</summary>
public static class InspectCommand
{
    public static Command Build()
    {
        var cow = new Argument<string>("COW") { Description = "COW store file" };
        var origin = new Option<string?>("--origin") { Description = "Origin image: adds the full `dmsetup status` line" };
        var table = new Option<bool>("--table") { Description = "List every exception" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("inspect", "Show a store's header, usage and status line (read-only)") { cow, origin, table, json };
        command.SetAction(r => CliRun.Guard(() => Run(r.GetValue(cow)!, r.GetValue(origin), r.GetValue(table), r.GetValue(json))));
        return command;
    }

    private static int Run(string path, string? originPath, bool showTable, bool json)
    {
        using var file = FileBlockFile.Open(path, writable: false);
        var inspection = CowInspection.Of(file);
        string? dmsetupStatus = null;
        if (originPath is not null)
        {
            using var origin = FileBlockFile.Open(originPath, writable: false);
            dmsetupStatus = $"0 {origin.Length >> Sectors.Shift} snapshot {inspection.Status}";
        }
        if (json)
        {
            Json.Print(new
            {
                path = inspection.Path,
                cowBytes = inspection.CowBytes,
                magic = inspection.Magic,
                valid = inspection.Valid,
                version = inspection.Version,
                chunkSectors = inspection.ChunkSectors,
                chunkBytes = inspection.ChunkSectors * Sectors.Size,
                exceptions = inspection.Exceptions,
                areasUsed = inspection.AreasUsed,
                status = inspection.Status,
                dmsetupStatus,
                table = showTable ? inspection.Table.Select(e => new { oldChunk = e.OldChunk, newChunk = e.NewChunk }) : null,
            });
            return ExitCodes.Ok;
        }
        var o = Console.Out;
        o.WriteLine($"store       {inspection.Path}");
        o.WriteLine($"size        {Units.FormatSize(inspection.CowBytes)} ({inspection.CowBytes >> Sectors.Shift} sectors)");
        o.WriteLine($"magic       {inspection.Magic}");
        o.WriteLine($"valid       {inspection.Valid}");
        o.WriteLine($"version     {inspection.Version}");
        o.WriteLine($"chunk size  {inspection.ChunkSectors} sectors ({Units.FormatSize(inspection.ChunkSectors * Sectors.Size)})");
        o.WriteLine($"exceptions  {inspection.Exceptions}");
        o.WriteLine($"areas used  {inspection.AreasUsed}");
        o.WriteLine($"status      {inspection.Status}");
        if (dmsetupStatus is not null) o.WriteLine($"dmsetup     {dmsetupStatus}");
        if (showTable)
        {
            var t = new Table().AddColumn("#").AddColumn("area").AddColumn("origin chunk").AddColumn("COW chunk");
            int perArea = (int)(inspection.ChunkSectors * Sectors.Size / ChunkGeometry.EntryBytes);
            for (int i = 0; i < inspection.Table.Count; i++)
                t.AddRow($"{i}", $"{i / perArea}", $"{inspection.Table[i].OldChunk}", $"{inspection.Table[i].NewChunk}");
            AnsiConsole.Write(t);
        }
        return ExitCodes.Ok;
    }
}
