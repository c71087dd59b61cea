using Akka.Actor;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>One coordinator actor's life on one node; <see cref="Stopped"/> null while it runs.</summary>
/// <param name="How">What told the stop: its death watch, or the end of its whole ActorSystem.</param>
public sealed record CoordinatorLife(int Instance, string Node, TimeSpan Started, TimeSpan? Stopped, string? How)
{
    public override string ToString() =>
        $"#{Instance} on {Node}: {Started.TotalSeconds:0.000} s → {(Stopped is { } s ? $"{s.TotalSeconds:0.000} s ({How})" : "running")}";
}

/// <summary>
/// When each coordinator actor of an in-process cluster lived, on one clock for every member. The
/// start is taken inside the coordinator's PreStart (its registry factory runs there: before it
/// recovers, sends or writes anything); the stop when a watcher on its own system gets Terminated
/// (after its PostStop) or, if that system ends first, when the system has terminated. So each
/// interval covers all the coordinator could do, and two that do not overlap never acted together.
/// </summary>
public sealed class CoordinatorLifetimes(Func<TimeSpan> clock)
{
    private readonly object gate = new();
    private readonly List<CoordinatorLife> lives = [];

    public IReadOnlyList<CoordinatorLife> Lives
    {
        get { lock (gate) return [.. lives]; }
    }

    /// <summary>Call from the coordinator's registry factory: records the start and watches the coordinator until it stops.</summary>
    public void Starting(IUntypedActorContext coordinator, string node)
    {
        int instance;
        lock (gate)
        {
            instance = lives.Count + 1;
            lives.Add(new CoordinatorLife(instance, node, clock(), null, null));
        }
        var system = coordinator.System;
        system.ActorOf(Akka.Actor.Props.Create(() => new Watch(coordinator.Self, () => Stopped(instance, "death watch"))), $"coordinator-watch-{instance}");
        system.WhenTerminated.ContinueWith(_ => Stopped(instance, "its ActorSystem terminated"), TaskScheduler.Default);
    }

    private void Stopped(int instance, string how)
    {
        var at = clock();
        lock (gate)
        {
            int i = instance - 1;
            if (lives[i].Stopped is null) lives[i] = lives[i] with { Stopped = at, How = how };
        }
    }

    /// <summary>Pairs of lives that share an instant (a life still running lasts forever).</summary>
    public static IReadOnlyList<(CoordinatorLife A, CoordinatorLife B)> Overlaps(IReadOnlyList<CoordinatorLife> lives)
    {
        var overlaps = new List<(CoordinatorLife, CoordinatorLife)>();
        for (int i = 0; i < lives.Count; i++)
        {
            for (int j = i + 1; j < lives.Count; j++)
            {
                var (a, b) = (lives[i], lives[j]);
                var aEnd = a.Stopped ?? TimeSpan.MaxValue;
                var bEnd = b.Stopped ?? TimeSpan.MaxValue;
                if (a.Started < bEnd && b.Started < aEnd) overlaps.Add((a, b));
            }
        }
        return overlaps;
    }

    private sealed class Watch : ReceiveActor
    {
        public Watch(IActorRef coordinator, Action stopped)
        {
            Context.Watch(coordinator);
            Receive<Terminated>(_ =>
            {
                stopped();
                Context.Stop(Self);
            });
        }
    }
}
