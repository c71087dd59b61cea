using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// An origin image and its snapshots' COW stores on real files, with a plain byte-array model of the
/// origin and of every snapshot's view kept beside them. Set-up writes go through the engine
/// in-process (as `cow write` does, without a process per write); the model is updated with plain
/// array copies, so it never depends on the code under test. <see cref="Check"/> compares the files
/// with the model through the independent <see cref="RawCow"/> reader.
/// </summary>
public sealed class ModelledImages(string dir)
{
    public string Dir { get; } = dir;

    /// <summary>The origin image: DIR/origin.img unless placed elsewhere (on a small filesystem).</summary>
    public string Origin { get; init; } = Path.Combine(dir, "origin.img");

    public List<string> Cows { get; } = [];

    public byte[] OriginModel { get; set; } = [];

    /// <summary>Each snapshot's view per the model, in the order of <see cref="Cows"/>.</summary>
    public List<byte[]> Views { get; } = [];

    public long OriginBytes => OriginModel.Length;

    public void CreateOrigin(Random random, long bytes)
    {
        OriginModel = SeededBytes.Make(random, checked((int)bytes));
        File.WriteAllBytes(Origin, OriginModel);
    }

    /// <summary>A sparse origin: all holes (zeros) until written.</summary>
    public void CreateSparseOrigin(long bytes)
    {
        OriginModel = new byte[checked((int)bytes)];
        using var file = File.OpenHandle(Origin, FileMode.Create, FileAccess.Write);
        RandomAccess.SetLength(file, bytes);
    }

    /// <summary>Formats a new COW (sparse file, DIR/NAME) as a snapshot of the origin as it is now.</summary>
    public void AddCow(string name, long cowBytes, int chunkBytes)
    {
        string path = Path.Combine(Dir, name);
        File.Delete(path); // a replayed trial's kept directory
        using (var file = FileBlockFile.Create(path, cowBytes))
        using (ExceptionStore.Format(file, ChunkGeometry.FromBytes(chunkBytes))) { }
        AddFormatted(path);
    }

    /// <summary>A COW formatted elsewhere (by `cow format`) becomes a snapshot of the origin as it is now.</summary>
    public void AddFormatted(string path)
    {
        Cows.Add(path);
        Views.Add((byte[])OriginModel.Clone());
    }

    /// <summary>An origin write through every snapshot (each keeps its view).</summary>
    public void WriteOrigin(long offset, byte[] data)
    {
        Engine(o => o.Write(offset, data));
        data.CopyTo(OriginModel, offset);
    }

    public void WriteSnapshot(int snapshot, long offset, byte[] data)
    {
        Engine(o => o.Snapshots[snapshot].Write(offset, data));
        data.CopyTo(Views[snapshot], offset);
    }

    private void Engine(Action<Origin> write)
    {
        var owned = new List<IDisposable>();
        try
        {
            var originFile = OpenForWriting(Origin);
            owned.Add(originFile);
            var origin = new Origin(originFile);
            owned.Add(origin);
            foreach (string path in Cows)
            {
                var cow = OpenForWriting(path);
                owned.Add(cow);
                var store = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
                owned.Add(store);
                origin.Attach(store);
            }
            write(origin);
            origin.Flush();
            foreach (var s in origin.Snapshots) s.Store.Flush();
        }
        finally
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        }
    }

    /// <summary>
    /// Opens with the engine's writer lock, waiting a little when it is "in use": a child process that
    /// another trial is forking at that instant holds a copy of this process's earlier descriptor of
    /// the file (with its lock) until its exec closes it.
    /// </summary>
    private static FileBlockFile OpenForWriting(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return FileBlockFile.Open(path, writable: true); }
            catch (StorageException e) when (attempt < 100 && e.Message.Contains("in use by another writer", StringComparison.Ordinal))
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>The fsck `cow verify` runs, in-process: null when clean.</summary>
    public string? Verify(int snapshot)
    {
        using var cow = FileBlockFile.Open(Cows[snapshot], writable: false);
        var findings = CowVerification.Findings(cow, OriginBytes);
        return findings.Count == 0 ? null : $"{Path.GetFileName(Cows[snapshot])}: {findings.Count} finding(s): {findings[0]}";
    }

    /// <summary>
    /// Every store verifies clean and is still valid, the origin file and every view (independent
    /// reader) equal the model. Null when all holds; the problem and whether it is data lost otherwise.
    /// </summary>
    public (string Problem, bool Lost)? Check(string when)
    {
        for (int i = 0; i < Cows.Count; i++)
        {
            if (Verify(i) is { } findings) return ($"{when}: {findings}", true);
            if (!RawCow.Read(Cows[i]).Valid) return ($"{when}: {Path.GetFileName(Cows[i])} is marked invalid", true);
        }
        if (ByteCompare.Exactly(OriginModel, File.ReadAllBytes(Origin)) is { } o) return ($"{when}: origin vs the model: {o}", true);
        for (int i = 0; i < Cows.Count; i++)
            if (ByteCompare.Exactly(Views[i], RawCow.View(Origin, Cows[i])) is { } v)
                return ($"{when}: view of {Path.GetFileName(Cows[i])} vs the model: {v}", true);
        return null;
    }
}
