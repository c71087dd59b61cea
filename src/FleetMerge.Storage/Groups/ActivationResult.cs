namespace FleetMerge.Storage.Groups;

/// <summary>
/// What an activation did about merges: the merges it started (the caller runs them, as lvmpolld
/// would) and one line per merge it left pending or could not start.
/// </summary>
public sealed record ActivationResult(IReadOnlyList<GroupMerge> Started, IReadOnlyList<string> Notes)
{
    public static ActivationResult Combine(IEnumerable<ActivationResult> results)
    {
        var list = results.ToList();
        return new ActivationResult(list.SelectMany(r => r.Started).ToList(), list.SelectMany(r => r.Notes).ToList());
    }
}
