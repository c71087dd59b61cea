namespace FleetMerge.Storage.Groups;

/// <summary>
/// Where a volume's bytes live: &lt;lv&gt;.img for an origin, &lt;snap&gt;.cow for a snapshot, in the
/// group directory. A rename is two metadata commits around a file rename (name first, then the
/// file), so a crash in between leaves a record whose file is either the recorded one or the
/// expected one; the group settles which when it is loaded (VolumeGroup.TidyFiles).
/// </summary>
public static class VolumeFiles
{
    public const string OriginExtension = ".img";
    public const string SnapshotExtension = ".cow";

    public static string For(string name, VolumeKind kind) =>
        name + (kind == VolumeKind.Origin ? OriginExtension : SnapshotExtension);

    /// <summary>A bare file name of the right kind: nothing that could leave the group directory.</summary>
    public static bool IsValid(string? file, VolumeKind kind)
    {
        if (string.IsNullOrEmpty(file) || file is "." or ".." || file.StartsWith('.')) return false;
        if (file.IndexOfAny(['/', '\\', '\0']) >= 0) return false;
        string ext = kind == VolumeKind.Origin ? OriginExtension : SnapshotExtension;
        return file.EndsWith(ext, StringComparison.Ordinal) && file.Length > ext.Length;
    }
}
