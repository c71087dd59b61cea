namespace FleetMerge.Storage.Groups;

/// <summary>
/// One volume as the group's metadata records it (LVM's LV section).
/// </summary>
/// <param name="SizeBytes">An origin's size; for a snapshot the size of its COW (what lvs shows as LSize).</param>
/// <param name="File">The volume's file in the group directory. Normally &lt;name&gt;.img or &lt;name&gt;.cow;
/// after a rename it names the old file until the file itself is renamed (see <see cref="VolumeFiles"/>).</param>
/// <param name="OriginUuid">A snapshot's origin, by UUID so renaming the origin touches one record.</param>
/// <param name="ChunkBytes">A snapshot's chunk size (its COW header says the same).</param>
/// <param name="Merge">A snapshot's merge request, if any.</param>
public sealed record VolumeRecord(
    string Name,
    string Uuid,
    int Minor,
    VolumeKind Kind,
    long SizeBytes,
    string File,
    string? OriginUuid = null,
    int? ChunkBytes = null,
    MergeMark? Merge = null);
