using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// The group's directory: the volume files, metadata.json and the vg.lock that keeps a second
/// VolumeGroup (in this process or another) from opening the same group. All volume file
/// operations go through here; tests hook <see cref="wrap"/> to inject I/O errors.
/// </summary>
internal sealed class GroupDirectory(string path, Func<IBlockFile, IBlockFile>? wrap)
{
    public const string LockFileName = "vg.lock";

    private readonly FileDiscard discard = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string PathOf(string file) => System.IO.Path.Combine(Path, file);

    public bool Exists(string file) => File.Exists(PathOf(file));

    /// <summary>Opens a volume file for I/O.</summary>
    public IBlockFile Open(string file)
    {
        var opened = FileBlockFile.Open(PathOf(file), writable: true);
        return wrap is null ? opened : wrap(opened);
    }

    /// <summary>Opens a volume file read-only, unwrapped: for looking at a COW header of an inactive snapshot.</summary>
    public IBlockFile OpenForInspection(string file) => FileBlockFile.Open(PathOf(file), writable: false);

    /// <summary>
    /// Creates a new volume file of <paramref name="length"/> bytes with all its space reserved (as LVM
    /// allocates a volume's extents at lvcreate), flushed. A full file system is refused here, with one
    /// line, instead of failing a write or a merge later (a COW write that fails drops its snapshot).
    /// On any failure the file is gone again.
    /// </summary>
    public IBlockFile Create(string file, long length)
    {
        string full = PathOf(file);
        if (File.Exists(full)) throw new VolumeExistsException($"{full}: already exists");
        FileBlockFile? created = null;
        try
        {
            created = FileBlockFile.Create(full, length);
            try { created.Reserve(0, length); }
            catch (NoSpaceException)
            {
                throw new NoSpaceException($"{full}: No space left on device: the file system has less than the {Format.Units.FormatSize(length)} this volume needs");
            }
            created.Flush();
            Sync();
            return wrap is null ? created : wrap(created);
        }
        catch
        {
            created?.Dispose();
            Delete(file);
            throw;
        }
    }

    /// <summary>Removes a volume file; a missing file is not an error (removal is idempotent).</summary>
    public void Delete(string file)
    {
        try { File.Delete(PathOf(file)); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>
    /// Removes a volume file from the group at once and durably (a rename to a hidden name, then
    /// a flush of the directory, as after a delete) and frees its blocks in the background
    /// (<see cref="FileDiscard"/>); a missing file is not an error. The unlink starts after the
    /// flush, which would otherwise wait for the unlink's own journal work.
    /// </summary>
    public void Discard(string file)
    {
        string hidden = FileDiscard.HiddenName(file);
        try { File.Move(PathOf(file), PathOf(hidden), overwrite: false); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return; }
        SyncAfterTheFact();
        discard.Unlink(PathOf(hidden));
    }

    /// <summary>Queues the unlink of hidden files a crash left before their unlink (at load).</summary>
    public void DiscardLeftovers()
    {
        foreach (string file in FileDiscard.Leftovers(Path)) discard.Unlink(PathOf(file));
    }

    /// <summary>Waits until every discarded file is unlinked.</summary>
    public void DrainDiscards() => discard.Drain();

    public void Move(string from, string to) => File.Move(PathOf(from), PathOf(to), overwrite: false);

    /// <summary>Makes creates, renames and unlinks in the directory durable.</summary>
    public void Sync() => DirectorySync.Flush(Path);

    /// <summary>
    /// A flush after a change that is already made and visible (a rename of metadata.json, an
    /// unlink): failing it must not make the caller undo the change. At worst a power loss brings
    /// back a deleted, unreferenced file; the next flush covers what this one missed.
    /// </summary>
    public void SyncAfterTheFact()
    {
        try { Sync(); }
        catch (StorageException) { }
    }

    /// <summary>Takes the group's lock (flock LOCK_EX through FileShare.None) or says who holds it.</summary>
    public FileStream Lock()
    {
        try { return new FileStream(PathOf(LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException)
        {
            throw new VolumeBusyException($"{Path}: the volume group is already open (by this process or another; {LockFileName} is locked)");
        }
    }
}
