using System.Numerics;
using FleetMerge.Storage.Format;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// The consistency rules of group metadata, as findings (empty = consistent). Checked on every
/// read, so a hand-edited or damaged file is refused with its first problem, and before every
/// commit, so the group never writes what it would refuse to read.
/// </summary>
public static class MetadataChecks
{
    public static IReadOnlyList<string> Findings(GroupMetadata metadata)
    {
        var findings = new List<string>();
        if (metadata.Format != GroupMetadata.FormatName)
            findings.Add($"format is '{metadata.Format}', expected '{GroupMetadata.FormatName}'");
        if (metadata.Version != GroupMetadata.CurrentVersion)
            findings.Add($"version {metadata.Version} is not supported (this build reads version {GroupMetadata.CurrentVersion})");
        if (VolumeNames.GroupProblem(metadata.Name) is { } groupProblem) findings.Add($"group name '{metadata.Name}': {groupProblem}");
        if (!LvmUuid.IsValid(metadata.Uuid)) findings.Add($"group uuid '{metadata.Uuid}' is not an LVM id");
        if (metadata.Seqno < 1) findings.Add($"seqno {metadata.Seqno} is not positive");
        if (metadata.Volumes is null)
        {
            findings.Add("the volume list is missing");
            return findings;
        }
        if (metadata.Volumes.Any(v => v is null))
        {
            findings.Add("the volume list has an empty entry");
            return findings;
        }
        CheckIdentities(metadata, findings);
        foreach (var volume in metadata.Volumes)
        {
            if (volume.Kind == VolumeKind.Origin) CheckOrigin(metadata, volume, findings);
            else CheckSnapshot(metadata, volume, findings);
        }
        return findings;
    }

    private static void CheckIdentities(GroupMetadata metadata, List<string> findings)
    {
        var names = new HashSet<string>();
        var uuids = new HashSet<string> { metadata.Uuid };
        var minors = new HashSet<int>();
        var files = new HashSet<string>();
        foreach (var v in metadata.Volumes)
        {
            if (VolumeNames.VolumeProblem(v.Name) is { } problem) findings.Add($"volume name '{v.Name}': {problem}");
            if (!names.Add(v.Name)) findings.Add($"volume name '{v.Name}' is used twice");
            if (!LvmUuid.IsValid(v.Uuid)) findings.Add($"volume '{v.Name}': uuid '{v.Uuid}' is not an LVM id");
            else if (!uuids.Add(v.Uuid)) findings.Add($"volume '{v.Name}': uuid {v.Uuid} is used twice");
            if (v.Minor < 0) findings.Add($"volume '{v.Name}': minor {v.Minor} is negative");
            else if (!minors.Add(v.Minor)) findings.Add($"volume '{v.Name}': minor {v.Minor} is used twice");
            if (!VolumeFiles.IsValid(v.File, v.Kind)) findings.Add($"volume '{v.Name}': file '{v.File}' is not a {VolumeFiles.For("<name>", v.Kind)} file name");
            else if (!files.Add(v.File)) findings.Add($"volume '{v.Name}': file '{v.File}' is used twice");
            if (v.SizeBytes <= 0 || v.SizeBytes % Sectors.Size != 0)
                findings.Add($"volume '{v.Name}': size {v.SizeBytes} bytes is not a positive number of sectors");
        }
    }

    private static void CheckOrigin(GroupMetadata metadata, VolumeRecord origin, List<string> findings)
    {
        if (origin.OriginUuid is not null || origin.ChunkBytes is not null || origin.Merge is not null)
            findings.Add($"origin '{origin.Name}' carries snapshot fields (originUuid, chunkBytes or merge)");
        var snapshots = metadata.SnapshotsOf(origin.Uuid).ToList();
        var merging = snapshots.Where(s => s.Merge is not null).ToList();
        if (merging.Count > 1)
            findings.Add($"origin '{origin.Name}' has {merging.Count} snapshots with a merge requested; at most one may");
        if (merging.Count == 1 && merging[0].Merge!.Mode == MergeMode.NameSnapshot && snapshots.Count != 1)
            findings.Add($"origin '{origin.Name}': a namesnapshot merge needs it to have exactly one snapshot (it has {snapshots.Count})");
    }

    private static void CheckSnapshot(GroupMetadata metadata, VolumeRecord snapshot, List<string> findings)
    {
        var origin = snapshot.OriginUuid is null ? null : metadata.FindUuid(snapshot.OriginUuid);
        if (origin is null || origin.Kind != VolumeKind.Origin)
            findings.Add($"snapshot '{snapshot.Name}': origin {snapshot.OriginUuid ?? "(none)"} is not an origin of the group");
        if (snapshot.ChunkBytes is not int chunk || chunk < ChunkGeometry.MinChunkBytes || chunk > ChunkGeometry.MaxChunkBytes || !BitOperations.IsPow2(chunk))
            findings.Add($"snapshot '{snapshot.Name}': chunk size {snapshot.ChunkBytes?.ToString() ?? "(none)"} is not a power of two from 4K to 512K");
        else if (snapshot.SizeBytes / chunk < 3)
            findings.Add($"snapshot '{snapshot.Name}': COW of {snapshot.SizeBytes} bytes holds fewer than 3 chunks");
        if (snapshot.Merge is { InitialExceptions: < 0 })
            findings.Add($"snapshot '{snapshot.Name}': negative initial exception count");
    }
}
