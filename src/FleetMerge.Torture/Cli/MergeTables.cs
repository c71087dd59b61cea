namespace FleetMerge.Torture.Cli;

/// <summary>
/// The tables of a merge in progress, read with the independent reader: snapshot 1's table only ever
/// loses entries off its end (the merge journal), snapshot 2's only gains entries (the copies the
/// merge gives it first). Pure over the entry lists.
/// </summary>
public static class MergeTables
{
    /// <summary>Null when <paramref name="now"/> is a prefix of <paramref name="before"/>.</summary>
    public static string? Shrunk(IReadOnlyList<(ulong Old, ulong New)> before, IReadOnlyList<(ulong Old, ulong New)> now)
    {
        if (now.Count > before.Count) return $"snapshot 1's table grew from {before.Count} to {now.Count} entries";
        int same = 0;
        while (same < now.Count && now[same] == before[same]) same++;
        return same == now.Count ? null : $"snapshot 1's table is not a prefix of the table before the merge: entry {same} changed";
    }

    /// <summary>Null when <paramref name="before"/> is a prefix of <paramref name="now"/>.</summary>
    public static string? Grown(IReadOnlyList<(ulong Old, ulong New)> before, IReadOnlyList<(ulong Old, ulong New)> now)
    {
        if (now.Count < before.Count) return $"snapshot 2's table lost entries ({before.Count} -> {now.Count})";
        for (int i = 0; i < before.Count; i++)
            if (now[i] != before[i]) return $"snapshot 2's table changed entry {i}";
        return null;
    }
}
