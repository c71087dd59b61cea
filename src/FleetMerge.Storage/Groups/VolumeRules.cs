namespace FleetMerge.Storage.Groups;

/// <summary>The rules for opening, deactivating and removing volumes, as pure functions that throw the refusal.</summary>
public static class VolumeRules
{
    /// <summary>
    /// Whether a volume may be opened. <paramref name="merge"/> is the snapshot's own merge mark, or
    /// for an origin the mark of its merging snapshot.
    /// </summary>
    public static void CheckOpen(string volume, VolumeKind kind, bool active, bool deactivating, MergeMark? merge, string? mergePartner)
    {
        if (!active) throw new VolumeInactiveException($"{volume} is not active; activate it first");
        if (deactivating) throw new VolumeBusyException($"{volume} is being deactivated");
        if (merge is null) return;
        // namesnapshot: the origin's identity is going away, the merging data is served under the snapshot's.
        if (kind == VolumeKind.Origin && merge.Mode == MergeMode.NameSnapshot)
            throw new MergeRuleException($"{volume} is being merged into under the identity of {mergePartner} (namesnapshot); open {mergePartner}");
        // The other modes: the merging snapshot's device is gone; the origin shows its data.
        if (kind == VolumeKind.Snapshot && merge.Started && merge.Mode != MergeMode.NameSnapshot)
            throw new MergeRuleException($"{volume} is merging into {mergePartner}; open {mergePartner}, which shows the merging data");
    }

    public static void CheckDeactivate(string volume, IEnumerable<(string Name, int OpenCount)> members)
    {
        var open = members.Where(m => m.OpenCount > 0).Select(m => $"{m.Name} is open ({MergeRules.Sessions(m.OpenCount)})").ToList();
        if (open.Count > 0) throw new VolumeBusyException($"cannot deactivate {volume}: {string.Join(", ", open)}");
    }

    /// <param name="snapshots">For an origin, its snapshots' names.</param>
    /// <param name="invalid">A snapshot known to be invalid (a merge of it can never run).</param>
    public static void CheckRemove(string volume, VolumeKind kind, int openCount, IReadOnlyList<string> snapshots, MergeMark? merge, bool invalid)
    {
        if (openCount > 0) throw new VolumeBusyException($"cannot remove {volume}: it is open ({MergeRules.Sessions(openCount)})");
        if (kind == VolumeKind.Origin && snapshots.Count > 0)
            throw new VolumeBusyException($"cannot remove {volume}: it has snapshots ({string.Join(", ", snapshots)}); remove them first");
        // A started merge has moved part of the snapshot into the origin: dropping the COW would
        // leave the origin half old, half new. A pending request (onactivate) is just cancelled.
        if (merge is { Started: true } && !invalid)
            throw new MergeRuleException($"cannot remove {volume}: it is merging; let the merge finish");
    }
}
