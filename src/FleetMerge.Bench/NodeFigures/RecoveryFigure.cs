using System.Diagnostics;
using Akka.Actor;
using FleetMerge.Host;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Bench.NodeFigures;

/// <summary>
/// Volume-actor recovery with a long journal, in process with the real <see cref="VolumeActor"/>
/// on the node's persistence (SQLite): the time from starting the actor to its first answer
/// (replay, the reconcile against the disk, then the stashed question), for
/// <list type="bullet">
/// <item>an origin whose journal holds a long history written with the volume actor's snapshot
///   policy (an Akka snapshot every <see cref="VolumeActorSettings.SnapshotEvery"/> events), as configured;</item>
/// <item>an origin with the same history written without Akka snapshots (every event replayed);</item>
/// <item>baseline: an origin whose journal only holds its adoption (a new volume).</item>
/// </list>
/// The three are recovered in turn in every round, so the machine's load falls on all alike.
/// The history is written by <see cref="HistoryWriter"/> through the same journal and serializer.
/// </summary>
public static class RecoveryFigure
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int events, int runs)
    {
        string dir = BenchFiles.FreshDir("recovery");
        var settings = VolumeActorSettings.Default;
        using var group = VolumeGroup.Create(Path.Combine(dir, "vgs", "vg0"), "vg0");
        foreach (string name in new[] { "with-snaps", "no-snaps", "fresh" }) group.CreateOrigin(name, 1 << 20);
        group.ActivateAll();
        string Uuid(string name) => group.Metadata.Find(name)!.Uuid;

        await using var journal = await NodeJournal.StartAsync(dir);
        var system = journal.System;
        // Each origin's first recovery adopts it from the disk (its VolumeCreated), as a node start would.
        foreach (string name in new[] { "with-snaps", "no-snaps", "fresh" }) await RecoverAsync(system, group, Uuid(name), settings);

        Progress.Say($"recovery: writing {events} events twice (with an Akka snapshot every {settings.SnapshotEvery} and without) to {journal.Path}");
        var clock = Stopwatch.StartNew();
        await WriteHistoryAsync(system, group, Uuid("with-snaps"), events, settings.SnapshotEvery);
        await WriteHistoryAsync(system, group, Uuid("no-snaps"), events, null);
        Progress.Say($"recovery: journal written in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(journal.Path).Length >> 20} MiB)");

        string[] origins = ["with-snaps", "no-snaps", "fresh"];
        var samples = origins.ToDictionary(o => o, _ => new List<TimeSpan>());
        var views = new Dictionary<string, VolumeView>();
        // One unmeasured round first (the JIT of the replay and reconcile paths); each round starts
        // with another origin, so what one recovery leaves behind (garbage, SQLite's checkpoint) does not always fall on the same next one.
        for (int round = 0; round <= runs; round++)
        {
            foreach (string origin in origins.Skip(round % origins.Length).Concat(origins.Take(round % origins.Length)))
            {
                var (took, view) = await RecoverAsync(system, group, Uuid(origin), settings);
                views[origin] = view;
                if (round > 0) samples[origin].Add(took);
            }
            if (round > 0)
                Progress.Say($"recovery {round}/{runs}: with Akka snapshots {samples["with-snaps"][^1].TotalMilliseconds:F0} ms, " +
                    $"without {samples["no-snaps"][^1].TotalMilliseconds:F0} ms, new volume {samples["fresh"][^1].TotalMilliseconds:F0} ms");
        }
        var (withSnapshots, withoutSnapshots, newVolume) = (views["with-snaps"], views["no-snaps"], views["fresh"]);
        var (snapshotted, replayed, fresh) = (samples["with-snaps"], samples["no-snaps"], samples["fresh"]);
        Check(withSnapshots, expectSnapshot: true, settings.SnapshotEvery);
        Check(withoutSnapshots, expectSnapshot: false, settings.SnapshotEvery);
        Check(newVolume, expectSnapshot: false, settings.SnapshotEvery);
        Progress.Say($"recovery: with Akka snapshots: snapshot at seq {withSnapshots.RecoveredFromSnapshotAt} + {withSnapshots.ReplayedEvents} events; " +
            $"without: {withoutSnapshots.ReplayedEvents} events; new volume: {newVolume.ReplayedEvents} events; " +
            $"snapshots cut recovery to {Median.Ms(snapshotted) / Median.Ms(replayed):P1} of a full replay");

        double baseMs = Median.Ms(fresh);
        string baseline = $"recovery of a new volume's actor (its journal: {newVolume.LastSequenceNr} events)";
        return
        [
            Figures.Timed($"volume recovery, {events}-event journal, Akka snapshot every {settings.SnapshotEvery}", Median.Ms(snapshotted), baseline, baseMs),
            Figures.Timed($"volume recovery, {events}-event journal, no Akka snapshots", Median.Ms(replayed), baseline, baseMs),
        ];
    }

    /// <summary>Starts the volume actor, times it to its first answer, and stops it again (a clean stop, as at a node's shutdown).</summary>
    private static async Task<(TimeSpan Took, VolumeView View)> RecoverAsync(ActorSystem system, VolumeGroup group, string originUuid, VolumeActorSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var actor = system.ActorOf(VolumeActor.Props(group, originUuid, settings));
        var view = await actor.Ask<VolumeView>(GetVolumeView.Instance, AskTimeout);
        var took = clock.Elapsed;
        if (!await actor.GracefulStop(AskTimeout)) throw new TimeoutException($"volume actor {view.PersistenceId} did not stop");
        return (took, view);
    }

    private static async Task WriteHistoryAsync(ActorSystem system, VolumeGroup group, string originUuid, int events, int? snapshotEvery)
    {
        string pid = VolumeActor.PersistenceIdFor(group.Uuid, originUuid);
        var writer = system.ActorOf(HistoryWriter.Props(pid, state => VolumeHistory.Events(state, events), snapshotEvery));
        await writer.Ask<long>(HistoryWriter.Write.Instance, TimeSpan.FromMinutes(10));
        await writer.GracefulStop(AskTimeout);
    }

    /// <summary>The figure is only worth printing if each recovery went the way it claims and wrote nothing.</summary>
    private static void Check(VolumeView view, bool expectSnapshot, int snapshotEvery)
    {
        string what = view.PersistenceId;
        if (view.RecoveryFindings.Count > 0) throw new InvalidOperationException($"{what}: the reconcile found {string.Join("; ", view.RecoveryFindings)}");
        if (expectSnapshot && (view.RecoveredFromSnapshotAt is null || view.ReplayedEvents >= snapshotEvery))
            throw new InvalidOperationException($"{what}: expected an Akka snapshot and fewer than {snapshotEvery} events, got {view.RecoveredFromSnapshotAt} + {view.ReplayedEvents}");
        if (!expectSnapshot && (view.RecoveredFromSnapshotAt is not null || view.ReplayedEvents != view.LastSequenceNr))
            throw new InvalidOperationException($"{what}: expected a full replay of {view.LastSequenceNr} events, got {view.RecoveredFromSnapshotAt} + {view.ReplayedEvents}");
    }
}
