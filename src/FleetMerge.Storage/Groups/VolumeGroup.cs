using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// A volume group on files: a directory holding one image per origin (&lt;lv&gt;.img), one COW per
/// snapshot (&lt;snap&gt;.cow) and metadata.json (LVM's VG metadata). Volumes are inactive when
/// the group is opened (a process start is a boot); activation, deactivation, opening, snapshot
/// creation and removal, renames and merges are explicit calls. Control operations are
/// serialised by one lock; volume I/O goes straight to the engine.
/// <para>
/// Every change is committed to the metadata atomically, after the files it needs exist and
/// before files it drops are deleted, so a crash leaves either the old or the new state plus at
/// most an unreferenced file (which a later create of that name reports).
/// </para>
/// </summary>
public sealed partial class VolumeGroup : IDisposable
{
    private readonly Lock gate = new();
    private readonly GroupDirectory directory;
    private readonly FileStream lockFile;
    private readonly Dictionary<string, ActiveFamily> families = new(); // by origin UUID
    private GroupMetadata metadata;
    private bool disposed;

    private VolumeGroup(GroupDirectory directory, FileStream lockFile, GroupMetadata metadata)
    {
        this.directory = directory;
        this.lockFile = lockFile;
        this.metadata = metadata;
    }

    public string Name => metadata.Name;

    public string Uuid => metadata.Uuid;

    public string DirectoryPath => directory.Path;

    /// <summary>The committed metadata (an immutable value).</summary>
    public GroupMetadata Metadata { get { lock (gate) return metadata; } }

    /// <summary>Creates a new, empty group in <paramref name="path"/> (created if missing).</summary>
    public static VolumeGroup Create(string path, string name) => Create(path, name, wrap: null);

    /// <summary>Opens the group in <paramref name="path"/> (a process start: every volume inactive).</summary>
    public static VolumeGroup Load(string path) => Load(path, wrap: null);

    internal static VolumeGroup Create(string path, string name, Func<IBlockFile, IBlockFile>? wrap)
    {
        VolumeNames.ValidateGroup(name);
        if (File.Exists(MetadataFile.PathIn(path)))
            throw new VolumeExistsException($"{Path.GetFullPath(path)}: already holds a volume group");
        Directory.CreateDirectory(path);
        var dir = new GroupDirectory(path, wrap);
        var held = dir.Lock();
        try
        {
            if (File.Exists(MetadataFile.PathIn(dir.Path)))
                throw new VolumeExistsException($"{dir.Path}: already holds a volume group");
            var fresh = GroupMetadata.New(name);
            MetadataFile.Write(dir.Path, fresh);
            return new VolumeGroup(dir, held, fresh);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    internal static VolumeGroup Load(string path, Func<IBlockFile, IBlockFile>? wrap)
    {
        if (!File.Exists(MetadataFile.PathIn(path)))
            throw new VolumeNotFoundException($"{Path.GetFullPath(path)}: not a volume group ({MetadataFile.FileName} is missing)");
        var dir = new GroupDirectory(path, wrap);
        var held = dir.Lock();
        try
        {
            var group = new VolumeGroup(dir, held, MetadataFile.Read(dir.Path));
            lock (group.gate) group.TidyFiles();
            dir.DiscardLeftovers();
            return group;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>"vg/lv", as LVM names volumes in messages.</summary>
    private string Display(string volume) => $"{metadata.Name}/{volume}";

    private VolumeRecord Find(string name) =>
        metadata.Find(name) ?? throw new VolumeNotFoundException($"{Display(name)}: no such volume");

    private ActiveFamily? FamilyOf(VolumeRecord volume) => families.GetValueOrDefault(metadata.OriginOf(volume).Uuid);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>
    /// Writes the next metadata (seqno + 1) atomically, then adopts it. Inconsistent metadata is a
    /// bug in this class, never written. Caller holds the lock.
    /// </summary>
    private void Commit(GroupMetadata next)
    {
        next = next with { Seqno = metadata.Seqno + 1 };
        var findings = MetadataChecks.Findings(next);
        if (findings.Count > 0) throw new InvalidOperationException($"{metadata.Name}: refusing to write inconsistent metadata: {findings[0]}");
        MetadataFile.Replace(directory.Path, next); // throws only if nothing changed: callers may then undo their files
        metadata = next;
        directory.SyncAfterTheFact(); // renamed means made: a failing flush must not make the caller undo it
    }

    /// <summary>
    /// Brings file names back in line with volume names after a rename or a namesnapshot merge
    /// (or a crash in one): a record whose file is not &lt;name&gt;.img/.cow gets its file renamed,
    /// or adopts the expected file if a crash happened after the rename. Best effort: until it
    /// succeeds the recorded file is used, which is consistent. Caller holds the lock.
    /// </summary>
    private void TidyFiles()
    {
        var next = metadata;
        foreach (var volume in metadata.Volumes)
        {
            string expected = VolumeFiles.For(volume.Name, volume.Kind);
            if (volume.File == expected || metadata.Volumes.Any(v => v.File == expected)) continue;
            try
            {
                bool recorded = directory.Exists(volume.File);
                bool present = directory.Exists(expected);
                if (recorded == present) continue; // both missing (activation will say) or both present (ambiguous: leave it)
                if (recorded)
                {
                    directory.Move(volume.File, expected);
                    directory.SyncAfterTheFact();
                }
                next = next.Replace(volume.Uuid, volume with { File = expected });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException) { }
        }
        if (ReferenceEquals(next, metadata)) return;
        try { Commit(next); }
        catch (StorageException) { }
    }

    internal void Close(LiveVolume volume)
    {
        lock (gate) volume.OpenCount--;
    }

    /// <summary>
    /// Closes the group like a process exit: running merges stop after their current group, every
    /// file is closed, nothing is flushed or recorded. The metadata and the COW tables on disk are
    /// all a later <see cref="Load(string)"/> needs to resume.
    /// </summary>
    public void Dispose()
    {
        List<ActiveFamily> active;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            active = families.Values.ToList();
            foreach (var family in active) family.Deactivating = true;
        }
        foreach (var family in active) family.Merge?.Stop();
        lock (gate)
        {
            foreach (var family in families.Values) family.Dispose();
            families.Clear();
            directory.DrainDiscards(); // under the group's lock file: the next Load finds the directory as this group left it
            lockFile.Dispose();
        }
    }
}
