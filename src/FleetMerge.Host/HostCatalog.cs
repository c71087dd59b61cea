using System.Collections.Concurrent;
using FleetMerge.Protocol.Host;
using FleetMerge.Storage;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host;

/// <summary>
/// The volume groups this host has loaded, by name: DATA_DIR/vgs/&lt;vg&gt;/. The host agent loads,
/// creates and disposes them; readers (the API's lists and its data path, which opens
/// <see cref="VolumeGroup.Open"/> sessions directly) only look them up. VolumeGroup is thread-safe.
/// </summary>
public sealed class HostCatalog
{
    private readonly ConcurrentDictionary<string, VolumeGroup> groups = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="hostId">The host these groups belong to, for log lines (host=…); null when the caller does not know it.</param>
    public HostCatalog(string vgsDirectory, string? hostId = null)
    {
        Root = Path.GetFullPath(vgsDirectory);
        HostId = hostId;
    }

    public string? HostId { get; }

    /// <summary>DATA_DIR/vgs: one directory per volume group.</summary>
    public string Root { get; }

    /// <summary>Completes when the host agent has loaded (and activated) every group found at start.</summary>
    public Task Loaded => loaded.Task;

    public string PathFor(string vg) => Path.Combine(Root, vg);

    public IReadOnlyList<VolumeGroup> All => [.. groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal)];

    public bool TryGet(string vg, out VolumeGroup group) => groups.TryGetValue(vg, out group!);

    /// <summary>The group called <paramref name="vg"/>, or VolumeNotFoundException (404).</summary>
    public VolumeGroup Get(string vg) =>
        groups.TryGetValue(vg, out var group) ? group : throw new VolumeNotFoundException($"volume group {vg}: no such volume group");

    /// <summary>lvs rows of one group or of all, by group then volume name.</summary>
    public IReadOnlyList<LvRow> Lvs(string? vg)
    {
        var selected = vg is null ? All : [Get(vg)];
        return [.. selected.SelectMany(g => g.Report().OrderBy(r => r.Lv, StringComparer.Ordinal)).Select(Views.Row)];
    }

    internal bool Add(VolumeGroup group) => groups.TryAdd(group.Name, group);

    internal void MarkLoaded() => loaded.TrySetResult();

    internal void DisposeAll()
    {
        foreach (var group in groups.Values)
        {
            try { group.Dispose(); }
            catch (Exception) { /* closing like a process exit: nothing to save */ }
        }
        groups.Clear();
    }
}
