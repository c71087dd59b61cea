using FleetMerge.Protocol.Volumes;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// A long life of one origin volume as its journal tells it, for the recovery figure: weeks of
/// six nightly snapshots taken and removed, then a rollback (a snapshot merged back with 100
/// progress checkpoints, the most the checkpoint policy writes for a merge at 1 % steps). Every
/// snapshot and merge ends before the next begins, so the history leaves the state as it found it
/// (no snapshots, nothing pending) and the disk still agrees with it: recovery replays, finds
/// nothing to reconcile, and writes nothing.
/// </summary>
public static class VolumeHistory
{
    private const int NightsPerWeek = 6, CheckpointsPerMerge = 100;
    private const long Exceptions = 65536, CowBytes = 1L << 30;

    /// <summary>Exactly <paramref name="count"/> events for the volume in <paramref name="state"/>.</summary>
    public static IReadOnlyList<IVolumeEvent> Events(VolumeState state, int count)
    {
        var events = new List<IVolumeEvent>(count);
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        int week = 0;
        const int weekLength = NightsPerWeek * 2 + 3 + CheckpointsPerMerge + 1;
        while (count - events.Count >= weekLength)
        {
            week++;
            for (int night = 1; night <= NightsPerWeek; night++)
                Nightly(events, $"w{week}n{night}", ref at);
            Rollback(events, state, $"w{week}r", ref at);
        }
        int n = 0;
        while (count - events.Count >= 2) Nightly(events, $"tail{++n}", ref at);
        // An odd count: one more boot's activation record (the state is active already, so nothing changes).
        if (events.Count < count) events.Add(new ActivationChanged(true, "activation"));
        return events;
    }

    private static void Nightly(List<IVolumeEvent> events, string name, ref DateTimeOffset at)
    {
        string uuid = Uuid(name);
        events.Add(new SnapshotTaken(name, uuid, 100, CowBytes, 4096, Adopted: false));
        events.Add(new SnapshotRemoved(name, uuid, "removed"));
        at = at.AddDays(1);
    }

    private static void Rollback(List<IVolumeEvent> events, VolumeState state, string name, ref DateTimeOffset at)
    {
        string uuid = Uuid(name);
        events.Add(new SnapshotTaken(name, uuid, 100, CowBytes, 4096, Adopted: false));
        events.Add(new MergeRequested(uuid, name, "nameorigin", Adopted: false));
        events.Add(new MergeStarted(uuid, name, "nameorigin", Exceptions, Exceptions, "", Resumed: false, at));
        for (int i = 1; i <= CheckpointsPerMerge; i++)
        {
            long remaining = Exceptions - Exceptions * i / (CheckpointsPerMerge + 1);
            events.Add(new MergeProgressed(uuid, Exceptions, remaining, $"{remaining * 8}/{CowBytes / 512} 24", at.AddSeconds(i)));
        }
        events.Add(new MergeCompleted(uuid, name, Exceptions, state.Origin, state.OriginUuid, state.OriginMinor, FoundOnDisk: false, at.AddSeconds(CheckpointsPerMerge + 1)));
        at = at.AddDays(1);
    }

    private static string Uuid(string name) => $"bench-{name}";
}
