using System.Buffers;
using System.CommandLine;
using FleetMerge.Storage;

namespace FleetMerge.Cli.Cow;

/// <summary>`cow read --origin O --cow C --out FILE`: the snapshot's view, as the kernel's snapshot device reads.</summary>
public static class ReadCommand
{
    private const int Piece = 4 << 20;

    public static Command Build()
    {
        var origin = new Option<string>("--origin") { Description = "Origin image", Required = true };
        var cow = new Option<string>("--cow") { Description = "COW store of the snapshot", Required = true };
        var output = new Option<string>("--out") { Description = "File to write the snapshot view to", Required = true };
        var command = new Command("read", "Write a snapshot's view to a file (read-only on origin and COW)") { origin, cow, output };
        command.SetAction(r => CliRun.Guard(() => Run(r.GetValue(origin)!, r.GetValue(cow)!, r.GetValue(output)!)));
        return command;
    }

    private static int Run(string originPath, string cowPath, string outPath)
    {
        using var files = new CowFiles(originPath, [cowPath], writable: false);
        var snapshot = files.Snapshots[0];
        if (!snapshot.Store.IsValid)
            throw new SnapshotInvalidException($"{cowPath}: snapshot is invalid (header valid = 0); it has no view to read");
        // Written beside the target and renamed at the end: an error never leaves half a view.
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, $".{Path.GetFileName(outPath)}.{Environment.ProcessId}.part");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Piece);
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                for (long offset = 0; offset < snapshot.Length; offset += Piece)
                {
                    int n = (int)Math.Min(Piece, snapshot.Length - offset);
                    snapshot.Read(offset, buffer.AsSpan(0, n));
                    output.Write(buffer, 0, n);
                }
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, outPath, overwrite: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (File.Exists(temp)) File.Delete(temp);
        }
        Console.Out.WriteLine($"{outPath}: {snapshot.Length} bytes of the snapshot view of {originPath} through {cowPath}");
        return ExitCodes.Ok;
    }
}
