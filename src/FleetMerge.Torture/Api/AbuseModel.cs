namespace FleetMerge.Torture.Api;

/// <summary>
/// What the node must hold after the abuse: the volume groups and volumes whose creation it
/// acknowledged (2xx), changed only by acknowledged requests. A refused request changes nothing,
/// so a volume half-created by a refusal shows up as a difference.
/// </summary>
public sealed class AbuseModel
{
    private readonly SortedDictionary<string, SortedDictionary<string, string?>> groups = new(StringComparer.Ordinal);

    public IEnumerable<string> Groups => groups.Keys;

    public void AddGroup(string vg) => groups.Add(vg, new SortedDictionary<string, string?>(StringComparer.Ordinal));

    /// <summary>An origin (origin null) or a snapshot of <paramref name="origin"/>.</summary>
    public void AddVolume(string vg, string name, string? origin = null) => groups[vg].Add(name, origin);

    public void RemoveVolume(string vg, string name) => groups[vg].Remove(name);

    /// <summary>A completed merge: the snapshot is gone; under namesnapshot the origin takes its name.</summary>
    public void Merged(string vg, string snapshot, string mode)
    {
        var volumes = groups[vg];
        string origin = volumes[snapshot] ?? throw new InvalidOperationException($"{vg}/{snapshot} is not a snapshot in the model");
        volumes.Remove(snapshot);
        if (mode != "namesnapshot") return;
        volumes.Remove(origin);
        volumes.Add(snapshot, null);
    }

    /// <summary>"vg/name" or "vg/name (snapshot of origin)" for every volume, in order: comparable with the node's list.</summary>
    public IReadOnlyList<string> Rows() =>
        [.. groups.SelectMany(g => g.Value.Select(v => Row(g.Key, v.Key, v.Value)))];

    /// <summary>The rows of one group only: a trial checks its own group, so one failure does not spill into the next trials.</summary>
    public IReadOnlyList<string> Rows(string vg) => [.. groups[vg].Select(v => Row(vg, v.Key, v.Value))];

    /// <summary>After a reported difference in the group list: take the node's list as it is, so the next trial checks only what it does.</summary>
    public void AdoptGroups(IEnumerable<string> actual)
    {
        foreach (string vg in actual.Where(g => !groups.ContainsKey(g)).ToList()) AddGroup(vg);
        foreach (string vg in groups.Keys.Except(actual, StringComparer.Ordinal).ToList()) groups.Remove(vg);
    }

    public static string Row(string vg, string name, string? origin) => origin is null ? $"{vg}/{name}" : $"{vg}/{name} (snapshot of {origin})";

    /// <summary>One line naming the first difference between the model and the node's rows, or null.</summary>
    public static string? Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string what)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && extra.Count == 0) return null;
        return $"{what}: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", extra.Take(5).Select(Shorten))}]";
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
