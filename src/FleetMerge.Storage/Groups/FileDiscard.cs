namespace FleetMerge.Storage.Groups;

/// <summary>
/// Takes a dropped volume file out of the way at once and frees its blocks in the background.
/// Unlinking a large allocated file is not cheap: ext4 frees every extent (and with the discard
/// mount option trims them) inside the unlink, about 100 ms per 64 MiB measured on the bench
/// machine, which a merge's finish or a snapshot's removal would otherwise make its caller wait
/// for. The file is renamed to a hidden name (which no volume file can have, so the volume's name
/// is free again at once) and unlinked by a background task; a crash before the unlink leaves the
/// hidden file, which the next load of the group deletes (<see cref="Leftovers"/>).
/// </summary>
internal sealed class FileDiscard
{
    /// <summary>Hidden names end so; volume files never start with a dot (VolumeFiles.IsValid).</summary>
    public const string Suffix = ".discarded";

    private readonly Lock gate = new();
    private Task pending = Task.CompletedTask;

    /// <summary>The hidden name for <paramref name="file"/>: unique, so a discard never waits for an earlier one.</summary>
    public static string HiddenName(string file) => $".{file}.{Guid.NewGuid():N}{Suffix}";

    public static bool IsHidden(string file) => file.StartsWith('.') && file.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>The hidden files a crash left in <paramref name="directory"/> before their unlink.</summary>
    public static IEnumerable<string> Leftovers(string directory) =>
        Directory.EnumerateFiles(directory, ".*" + Suffix).Select(f => Path.GetFileName(f)).Where(IsHidden);

    /// <summary>Unlinks <paramref name="path"/> after every earlier discard, on a thread-pool thread.</summary>
    public void Unlink(string path)
    {
        lock (gate) pending = pending.ContinueWith(_ => DeleteQuietly(path), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Waits for every unlink queued so far (a group's dispose: its directory is then as the caller left it).</summary>
    public void Drain()
    {
        Task last;
        lock (gate) last = pending;
        last.Wait();
    }

    /// <summary>A failed unlink leaves a hidden file that the next load deletes again; nothing else depends on it.</summary>
    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
