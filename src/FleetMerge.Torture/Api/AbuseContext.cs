namespace FleetMerge.Torture.Api;

/// <summary>What one abuse case gets: the node's API, the trial's Random and volume group, the model and the canary file.</summary>
public sealed class AbuseContext(ApiClient api, Random random, AbuseModel model, string vg, string canary, Action<string> log)
{
    private int next;

    public ApiClient Api { get; } = api;

    public Random Random { get; } = random;

    public AbuseModel Model { get; } = model;

    /// <summary>The trial's own volume group (created first), holding the origin <see cref="Base"/>.</summary>
    public string Vg { get; } = vg;

    public const string Base = "base";

    /// <summary>A snapshot of <see cref="Base"/>, the target of merge requests with bad bodies.</summary>
    public const string BaseSnapshot = "bases";

    /// <summary>A file that exists only if something ran a caller's name as a shell command.</summary>
    public string Canary { get; } = canary;

    public void Log(string line) => log(line);

    /// <summary>A fresh valid name for this trial.</summary>
    public string Fresh(string prefix) => $"{prefix}{next++}";

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];
}
