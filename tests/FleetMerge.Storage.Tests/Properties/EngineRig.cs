using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Tests.Properties;

/// <summary>Where a rig's devices live: in memory, or as real image files in a temp directory.</summary>
public interface IDeviceBacking : IDisposable
{
    IBlockFile Create(string name, long length);

    /// <summary>Closes <paramref name="device"/> and opens the same bytes again.</summary>
    IBlockFile Reopen(IBlockFile device);
}

public sealed class MemoryBacking : IDeviceBacking
{
    public IBlockFile Create(string name, long length) => new MemoryBlockFile(length, name);

    public IBlockFile Reopen(IBlockFile device)
    {
        device.Dispose();
        return new MemoryBlockFile(((MemoryBlockFile)device).Bytes, device.Name);
    }

    public void Dispose() { }
}

/// <summary>Image files in Path.GetTempPath()/fleetmerge-tests-&lt;guid&gt;, removed on dispose.</summary>
public sealed class FileBacking : IDeviceBacking
{
    public FileBacking()
    {
        Directory = Path.Combine(Path.GetTempPath(), "fleetmerge-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public IBlockFile Create(string name, long length) => FileBlockFile.Create(Path.Combine(Directory, name), length);

    public IBlockFile Reopen(IBlockFile device)
    {
        string path = device.Name;
        device.Dispose();
        return FileBlockFile.Open(path, writable: true);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// An origin with its snapshots, built on a backing, that can be closed and reopened from its
/// devices' bytes the way an activation would (ExceptionStore.Open + Attach in the same order).
/// </summary>
public sealed class EngineRig : IDisposable
{
    private readonly IDeviceBacking backing;
    private readonly List<Member> members = [];
    private IBlockFile originData;
    private byte[] viewBuffer = [];
    private Origin origin;

    private sealed class Member(IBlockFile cow, ExceptionStore store, Snapshot snapshot)
    {
        public IBlockFile Cow { get; set; } = cow;
        public ExceptionStore Store { get; set; } = store;
        public Snapshot Snapshot { get; set; } = snapshot;
    }

    public EngineRig(IDeviceBacking backing, ReadOnlySpan<byte> initialOrigin)
    {
        this.backing = backing;
        originData = backing.Create("origin.img", initialOrigin.Length);
        originData.Write(0, initialOrigin);
        origin = new Origin(originData);
    }

    public Origin Origin => origin;
    public long OriginLength => originData.Length;
    public int SnapshotCount => members.Count;
    public Snapshot Snapshot(int index) => members[index].Snapshot;
    public ExceptionStore Store(int index) => members[index].Store;
    public IBlockFile Cow(int index) => members[index].Cow;

    /// <summary>A COW that can hold an exception for every origin chunk plus the metadata around them.</summary>
    public static long RoomyCowBytes(long originBytes, int chunkBytes)
    {
        long originChunks = (originBytes + chunkBytes - 1) / chunkBytes;
        long perArea = chunkBytes / ChunkGeometry.EntryBytes;
        return (originChunks + originChunks / perArea + 4) * chunkBytes;
    }

    public Snapshot AddSnapshot(int chunkBytes, long cowBytes)
    {
        var cow = backing.Create($"cow{members.Count}.img", cowBytes);
        var store = ExceptionStore.Format(cow, ChunkGeometry.FromBytes(chunkBytes));
        var snapshot = origin.Attach(store);
        members.Add(new Member(cow, store, snapshot));
        return snapshot;
    }

    /// <summary>
    /// Closes everything, reopens every device, checks each COW with CowVerification and that a
    /// store comes back with the same status line and exceptions it had, and reattaches.
    /// </summary>
    public void CloseAndReopen()
    {
        var before = members.Select(m => (Status: m.Store.StatusLine(), Table: m.Store.SnapshotOfExceptions())).ToList();
        origin.Dispose();
        foreach (var m in members) m.Store.Dispose();
        originData = backing.Reopen(originData);
        origin = new Origin(originData);
        for (int i = 0; i < members.Count; i++)
        {
            var m = members[i];
            m.Cow = backing.Reopen(m.Cow);
            var findings = CowVerification.Findings(m.Cow, originData.Length);
            if (findings.Count > 0)
                throw new ModelMismatchException($"snapshot {i} after reopen: cow verify: {string.Join("; ", findings)}");
            m.Store = ExceptionStore.Open(m.Cow, StoreOpenMode.ReadWrite);
            m.Snapshot = origin.Attach(m.Store);
            string status = m.Store.StatusLine();
            if (status != before[i].Status)
                throw new ModelMismatchException($"snapshot {i}: status line '{before[i].Status}' before close, '{status}' after reopen");
            var table = m.Store.SnapshotOfExceptions();
            if (!SameMapping(before[i].Table, table))
                throw new ModelMismatchException(
                    $"snapshot {i}: {before[i].Table.Count} exceptions before close, {table.Count} after reopen or mappings differ");
        }
    }

    public static bool SameMapping(IReadOnlyDictionary<ulong, ulong> a, IReadOnlyDictionary<ulong, ulong> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out ulong v) && v == kv.Value);

    /// <summary>Reads every view whole through the engine and compares it with the model.</summary>
    public void CheckAllViews(ViewModel model, string when)
    {
        if (viewBuffer.Length != originData.Length) viewBuffer = new byte[originData.Length];
        byte[] buffer = viewBuffer;
        origin.Read(0, buffer);
        ViewModel.AssertSame($"{when}: origin view", model.Origin, buffer);
        for (int i = 0; i < members.Count; i++)
        {
            Array.Clear(buffer);
            members[i].Snapshot.Read(0, buffer);
            ViewModel.AssertSame($"{when}: snapshot {i} view ({members[i].Store.Geometry.ChunkBytes / 1024}K chunks)",
                model.Snapshots[i], buffer);
        }
    }

    public void Dispose()
    {
        origin.Dispose();
        foreach (var m in members)
        {
            m.Store.Dispose();
            m.Cow.Dispose();
        }
        originData.Dispose();
        backing.Dispose();
    }
}
