using System.Buffers;
using System.CommandLine;
using FleetMerge.Storage;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Cli.Cow;

/// <summary>
/// `cow write --origin O --cow C [--cow C2 …] --to origin|snapshot --offset N (--in FILE | --byte B --length N)`:
/// a write through the COW logic. An origin write first copies the old chunks into every store
/// that lacks them; a snapshot write goes to the first store.
/// </summary>
public static class WriteCommand
{
    private const int Piece = 4 << 20;

    public static Command Build()
    {
        var origin = new Option<string>("--origin") { Description = "Origin image", Required = true };
        var cows = new Option<string[]>("--cow") { Description = "COW store (repeat for several snapshots of the origin)", Required = true, AllowMultipleArgumentsPerToken = false };
        var to = new Option<string>("--to") { Description = "origin or snapshot (the first --cow)", Required = true };
        to.AcceptOnlyFromAmong("origin", "snapshot");
        var offset = new Option<string>("--offset") { Description = "Byte offset (K/M/G suffixes)", Required = true };
        var input = new Option<string?>("--in") { Description = "File whose bytes are written" };
        var fill = new Option<string?>("--byte") { Description = "Write this byte value (0..255 or 0x..) --length times" };
        var length = new Option<string?>("--length") { Description = "Length for --byte (K/M/G suffixes)" };
        var command = new Command("write", "Write to the origin or to a snapshot through the COW logic")
            { origin, cows, to, offset, input, fill, length };
        command.SetAction(r => CliRun.Guard(() => Run(new Request(
            r.GetValue(origin)!, r.GetValue(cows)!, r.GetValue(to) == "snapshot",
            Arguments.Size(r.GetValue(offset), "--offset"), r.GetValue(input), r.GetValue(fill), r.GetValue(length)))));
        return command;
    }

    private sealed record Request(string Origin, string[] Cows, bool ToSnapshot, long Offset, string? In, string? Byte, string? Length);

    private static int Run(Request request)
    {
        var source = DataSource.From(request);
        using var files = new CowFiles(request.Origin, request.Cows, writable: true);
        var origin = files.Origin;
        if (request.Offset + source.Length > origin.Length)
            throw new BadRequestException(
                $"write of {source.Length} bytes at offset {request.Offset} does not fit the origin ({origin.Length} bytes)");
        Snapshot? target = request.ToSnapshot ? files.Snapshots[0] : null;
        if (target is not null && !target.Store.IsValid)
            throw new SnapshotInvalidException($"{request.Cows[0]}: snapshot is invalid; it refuses writes");
        var wasValid = files.Snapshots.Select(s => s.Store.IsValid).ToArray();
        files.ReserveCowSpace(target is null ? Enumerable.Range(0, files.Snapshots.Count) : [0], request.Offset, source.Length);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Piece);
        try
        {
            for (long done = 0; done < source.Length; done += Piece)
            {
                int n = (int)Math.Min(Piece, source.Length - done);
                source.Fill(done, buffer.AsSpan(0, n));
                if (target is not null) target.Write(request.Offset + done, buffer.AsSpan(0, n));
                else origin.Write(request.Offset + done, buffer.AsSpan(0, n));
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        origin.Flush();
        foreach (var s in files.Snapshots) s.Store.Flush();

        for (int i = 0; i < files.Snapshots.Count; i++)
            if (wasValid[i] && !files.Snapshots[i].Store.IsValid)
                Console.Error.WriteLine($"fleetmerge: warning: {request.Cows[i]}: {files.Snapshots[i].Store.InvalidReason}");
        Console.Out.WriteLine($"wrote {source.Length} bytes to the {(target is null ? "origin" : "snapshot")} at offset {request.Offset}");
        return ExitCodes.Ok;
    }

    /// <summary>The bytes to write: a file's contents or one byte repeated.</summary>
    private sealed class DataSource(long length, Action<long, Span<byte>> fill)
    {
        public long Length { get; } = length;
        public void Fill(long at, Span<byte> into) => fill(at, into);

        public static DataSource From(Request r)
        {
            if ((r.In is null) == (r.Byte is null))
                throw new BadRequestException("give exactly one of --in FILE or --byte B --length N");
            if (r.In is not null)
            {
                if (r.Length is not null) throw new BadRequestException("--length goes with --byte, not with --in");
                if (!File.Exists(r.In)) throw new StorageException($"{r.In}: no such file");
                string path = r.In;
                long size = new FileInfo(path).Length;
                return new DataSource(size, (at, into) =>
                {
                    using var handle = File.OpenHandle(path);
                    int read = RandomAccess.Read(handle, into, at);
                    if (read != into.Length) throw new StorageException($"{path}: changed size while being read");
                });
            }
            byte value = Arguments.Byte(r.Byte!);
            long length = Arguments.Size(r.Length, "--length");
            return new DataSource(length, (_, into) => into.Fill(value));
        }
    }
}
