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

    public void Dispose()
    {
        for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
