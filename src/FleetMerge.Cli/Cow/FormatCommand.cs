using System.CommandLine;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;

namespace FleetMerge.Cli.Cow;

/// <summary>`cow format COW [--size 16M] [--chunk-size 4K] [--force]`.</summary>
public static class FormatCommand
{
    public static Command Build()
    {
        var cow = new Argument<string>("COW") { Description = "COW store file" };
        var size = new Option<string?>("--size") { Description = "Create the file with this size (K/M/G); without it the existing file's size is used" };
        var chunk = new Option<string>("--chunk-size") { Description = "Chunk size, a power of two from 4K to 512K", DefaultValueFactory = _ => "4K" };
        var force = new Option<bool>("--force") { Description = "Overwrite a file that already holds a snapshot store" };
        var command = new Command("format", "Write an empty dm-snapshot persistent store") { cow, size, chunk, force };
        command.SetAction(r => CliRun.Guard(() => Run(r.GetValue(cow)!, r.GetValue(size), r.GetValue(chunk)!, r.GetValue(force))));
        return command;
    }

    private static int Run(string path, string? sizeText, string chunkText, bool force)
    {
        var geometry = ChunkGeometry.FromBytes(Arguments.Size(chunkText, "--chunk-size"));
        if (sizeText is not null)
        {
            long size = Arguments.Size(sizeText, "--size");
            if (size % Sectors.Size != 0) throw new BadRequestException($"--size {sizeText} is not a whole number of 512-byte sectors");
            if (geometry.ChunksIn(size) < 3)
                throw new BadRequestException($"--size {sizeText} is too small: a store needs at least 3 chunks of {Units.FormatSize(geometry.ChunkBytes)}");
            var created = FileBlockFile.Create(path, size);
            try
            {
                using (created) ExceptionStore.Format(created, geometry).Dispose();
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }
        else
        {
            using var file = FileBlockFile.Open(path, writable: true);
            if (!force) RefuseExistingStore(file);
            ExceptionStore.Format(file, geometry).Dispose();
        }
        using var check = FileBlockFile.Open(path, writable: false);
        using var store = ExceptionStore.Open(check, StoreOpenMode.ReadOnly);
        Console.Out.WriteLine($"formatted {path}: chunk size {Units.FormatSize(geometry.ChunkBytes)}, status {store.StatusLine()}");
        return ExitCodes.Ok;
    }

    private static void RefuseExistingStore(IBlockFile file)
    {
        if (file.Length < StoreHeader.Bytes) return;
        Span<byte> bytes = stackalloc byte[StoreHeader.Bytes];
        file.Read(0, bytes);
        if (StoreHeader.Decode(bytes).Magic == StoreHeader.SnapMagic)
            throw new StorageException($"{file.Name}: already holds a snapshot store; use --force to overwrite it");
    }
}
