using System.CommandLine;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Toolbox;

namespace FleetMerge.Cli.Cow;

/// <summary>`cow verify COW [--origin O] [--json]`: exit 0 when clean, 1 with every finding listed.</summary>
public static class VerifyCommand
{
    public static Command Build()
    {
        var cow = new Argument<string>("COW") { Description = "COW store file" };
        var origin = new Option<string?>("--origin") { Description = "Origin image: also check every origin chunk lies inside it" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("verify", "Check a store's structure (fsck, read-only)") { cow, origin, json };
        command.SetAction(r => CliRun.Guard(() => Run(r.GetValue(cow)!, r.GetValue(origin), r.GetValue(json))));
        return command;
    }

    private static int Run(string path, string? originPath, bool json)
    {
        long? originBytes = null;
        if (originPath is not null)
        {
            using var origin = FileBlockFile.Open(originPath, writable: false);
            originBytes = origin.Length;
        }
        using var file = FileBlockFile.Open(path, writable: false);
        var findings = CowVerification.Findings(file, originBytes);
        if (json) Json.Print(new { path, clean = findings.Count == 0, findings });
        else if (findings.Count == 0) Console.Out.WriteLine($"{path}: clean");
        else
        {
            foreach (var f in findings) Console.Out.WriteLine($"{path}: {f}");
            Console.Out.WriteLine($"{path}: {findings.Count} problem(s)");
        }
        return findings.Count == 0 ? ExitCodes.Ok : ExitCodes.Findings;
    }
}
