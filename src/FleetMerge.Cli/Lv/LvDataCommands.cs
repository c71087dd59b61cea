using System.CommandLine;
using FleetMerge.Cli.Node;
using FleetMerge.Storage;

namespace FleetMerge.Cli.Lv;

/// <summary>
/// `lv read VG/LV --out FILE [--offset N] [--length N]` and `lv write VG/LV --offset N --in FILE`:
/// a volume's bytes through GET/PUT …/data, in requests of at most 64 MiB (the node's limit).
/// </summary>
public static class LvDataCommands
{
    public static Command Read(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument("VG/LV", "Volume or snapshot to read, as VG/LV (a snapshot reads as its view)");
        var output = new Option<string>("--out", "-o") { Description = "File to write the bytes to (appears only when complete)", Required = true };
        var offset = new Option<string?>("--offset") { Description = "First byte to read (K/M/G suffixes); default 0" };
        var length = new Option<string?>("--length") { Description = "How many bytes (K/M/G); default up to the end of the volume" };
        var command = new Command("read", "Copy a volume's bytes into a file") { target, output, offset, length };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            string outPath = r.GetValue(output)!;
            long from = r.GetValue(offset) is { } o ? Arguments.Size(o, "--offset") : 0;
            long? wanted = r.GetValue(length) is { } l ? Arguments.Size(l, "--length") : null;
            if (outPath.Length == 0 || Directory.Exists(outPath)) throw new BadRequestException($"--out '{outPath}' is not a file name");
            using var client = new NodeClient(node.Resolve(r));
            long total = wanted ?? await BytesAfter(client, lv, from, cancel);
            long got = await ReadInto(client, lv, from, total, outPath, cancel);
            Console.Out.WriteLine($"{outPath}: {got} bytes of {lv} from offset {from}");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }

    /// <summary>How many bytes the volume has after <paramref name="from"/> (a snapshot is as long as its origin).</summary>
    private static async Task<long> BytesAfter(NodeClient client, VolumeRef lv, long from, CancellationToken cancel)
    {
        string path = $"lvs?vg={NodeClient.Segment(lv.Vg)}";
        var rows = await client.SendAsync<List<LvRow>>(HttpMethod.Get, path, null, cancel);
        var row = rows.FirstOrDefault(v => v.Name == lv.Lv)
            ?? throw new NodeException($"logical volume {lv} not found", ExitCodes.Failed, 404);
        long size = row.SizeBytes;
        if (row.Origin is { } originName)
            size = (rows.FirstOrDefault(v => v.Name == originName)
                ?? throw new NodeException($"the origin {lv.Vg}/{originName} of snapshot {lv} is not in the node's volume list", ExitCodes.Failed)).SizeBytes;
        if (from > size) throw new NodeException($"--offset {from} is beyond the end of {lv} ({size} bytes)", ExitCodes.Failed);
        return size - from;
    }

    private static async Task<long> ReadInto(NodeClient client, VolumeRef lv, long from, long total, string outPath, CancellationToken cancel)
    {
        // Written beside the target and renamed at the end: a failure never leaves half a file.
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, $".{Path.GetFileName(outPath)}.{Environment.ProcessId}.part");
        try
        {
            long done;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                done = await TransferProgress.Run($"reading {lv}", total, total > NodeClient.MaxPiece, async report =>
                {
                    long n = 0;
                    while (n < total)
                    {
                        int piece = (int)Math.Min(NodeClient.MaxPiece, total - n);
                        long got = await client.ReadDataAsync(lv.Vg, lv.Lv, from + n, piece, file, cancel);
                        n += got;
                        report(n);
                        if (got < piece) break; // the end of the volume
                    }
                    return n;
                });
                await file.FlushAsync(cancel);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, outPath, overwrite: true);
            return done;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static Command Write(NodeOptions node)
    {
        var target = LvPalette.VolumeArgument("VG/LV", "Volume or snapshot to write, as VG/LV");
        var offset = new Option<string>("--offset") { Description = "Where the file's first byte goes (K/M/G suffixes)", Required = true };
        var input = new Option<string>("--in", "-i") { Description = "File whose bytes to write", Required = true };
        var command = new Command("write", "Write a file's bytes into a volume at an offset") { target, offset, input };
        command.SetAction((r, cancel) => RemoteRun.Guard(async () =>
        {
            var lv = VolumeRef.Parse(r.GetValue(target)!);
            long at = Arguments.Size(r.GetValue(offset), "--offset");
            string inPath = r.GetValue(input)!;
            if (!File.Exists(inPath)) throw new StorageException($"{inPath}: no such file");
            using var client = new NodeClient(node.Resolve(r));
            await using var file = new FileStream(inPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            long total = file.Length;
            long written = await TransferProgress.Run($"writing {lv}", total, total > NodeClient.MaxPiece, async report =>
            {
                byte[] buffer = new byte[(int)Math.Min(NodeClient.MaxPiece, Math.Max(1, total))];
                long n = 0;
                while (n < total)
                {
                    int piece = (int)Math.Min(buffer.Length, total - n);
                    int got = await file.ReadAtLeastAsync(buffer.AsMemory(0, piece), piece, throwOnEndOfStream: false, cancel);
                    if (got == 0) break; // the file shrank under us: write what there was
                    long accepted = await client.WriteDataAsync(lv.Vg, lv.Lv, at + n, buffer.AsMemory(0, got), cancel);
                    if (accepted != got)
                        throw new NodeException($"the node wrote {accepted} of {got} bytes to {lv} at offset {at + n}", ExitCodes.Failed);
                    n += got;
                    report(n);
                }
                return n;
            });
            Console.Out.WriteLine($"{inPath}: {written} bytes written to {lv} at offset {at}");
            return ExitCodes.Ok;
        }, cancel));
        return command;
    }
}
