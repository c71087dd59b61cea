using FleetMerge.Storage;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Cli.Cow;

/// <summary>An origin image with its COW stores opened from plain files; disposes them together.</summary>
public sealed class CowFiles : IDisposable
{
    private readonly List<IDisposable> owned = new();

    public CowFiles(string originPath, IReadOnlyList<string> cowPaths, bool writable)
    {
        try
        {
            var originFile = FileBlockFile.Open(originPath, writable);
            owned.Add(originFile);
            Origin = new Origin(originFile);
            owned.Add(Origin);
            foreach (var path in cowPaths)
            {
                var cow = FileBlockFile.Open(path, writable);
                owned.Add(cow);
                CowFileList.Add(cow);
                if (ExceptionStore.ReadHeader(cow).IsBlank)
                    throw new StoreFormatException($"{path}: not a snapshot store (blank header; run 'fleetmerge cow format' first)");
                var store = ExceptionStore.Open(cow, writable ? StoreOpenMode.ReadWrite : StoreOpenMode.ReadOnly);
                owned.Add(store);
                Snapshots.Add(Origin.Attach(store));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Origin Origin { get; } = null!;
    public List<Snapshot> Snapshots { get; } = new();

    /// <summary>The COW files, in the order of <see cref="Snapshots"/>.</summary>
    public List<FileBlockFile> CowFileList { get; } = new();

    /// <summary>
    /// Reserves the COW space a write of [offset, offset+length) will take in each given snapshot (the
    /// chunks it lacks, with their metadata), so that a full filesystem fails the write before any
    /// byte is written instead of dropping the snapshot part way (the engine invalidates a snapshot
    /// whose COW write fails, as the kernel does on an I/O error).
    /// </summary>
    public void ReserveCowSpace(IEnumerable<int> snapshots, long offset, long length)
    {
        foreach (int i in snapshots)
        {
            var store = Snapshots[i].Store;
            if (!store.IsValid) continue;
            var (first, count) = store.Geometry.ChunksCovering(offset, length);
            long missing = 0;
            var chunks = new ulong[Math.Min(count, 1 << 16)]; // looked up a slice at a time: a huge write needs no huge array
            for (int done = 0; done < count; done += chunks.Length)
            {
                var slice = chunks.AsSpan(0, Math.Min(chunks.Length, count - done));
                store.Lookup(first + (ulong)done, slice);
                foreach (ulong c in slice) if (c == 0) missing++;
            }
            foreach (var (at, bytes) in store.SpaceFor(missing)) CowFileList[i].Reserve(at, bytes);
        }
    }

    public void Dispose()
    {
        for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
