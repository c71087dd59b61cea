using System.Text.Json.Serialization;

namespace FleetMerge.Storage.Groups;

/// <summary>The three kinds of `lvconvert --merge` from the 2008 snapshot-merge design.</summary>
public enum MergeMode
{
    /// <summary>The result keeps the origin's name, minor and UUID. Neither volume may be open at the start.</summary>
    [JsonStringEnumMemberName("nameorigin")] NameOrigin,

    /// <summary>The result takes the snapshot's name, minor and UUID. The snapshot may be open, the origin not; one snapshot only.</summary>
    [JsonStringEnumMemberName("namesnapshot")] NameSnapshot,

    /// <summary>Only marks the snapshot; the merge starts at the next activation (a root filesystem merges at boot).</summary>
    [JsonStringEnumMemberName("onactivate")] OnActivate,
}

public static class MergeModes
{
    public static string Name(this MergeMode mode) => mode switch
    {
        MergeMode.NameOrigin => "nameorigin",
        MergeMode.NameSnapshot => "namesnapshot",
        MergeMode.OnActivate => "onactivate",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static MergeMode Parse(string text) => text.Trim().TrimStart('-').ToLowerInvariant() switch
    {
        "nameorigin" => MergeMode.NameOrigin,
        "namesnapshot" => MergeMode.NameSnapshot,
        "onactivate" => MergeMode.OnActivate,
        _ => throw new BadRequestException($"unknown merge mode '{text}' (nameorigin, namesnapshot or onactivate)"),
    };

    /// <summary>
    /// Only namesnapshot hands the snapshot's identity to the result; an onactivate merge, once
    /// started, is a nameorigin merge (the root filesystem keeps being the origin).
    /// </summary>
    public static bool ResultTakesSnapshotIdentity(this MergeMode mode) => mode == MergeMode.NameSnapshot;
}
