using System.Collections.Concurrent;
using Akka.Actor;
using FleetMerge.Protocol.Fleet;
using AkkaCluster = Akka.Cluster.Cluster;

namespace FleetMerge.Node.Tests.Cluster;

/// <summary>What every fake host of a test saw: how often each step key ran, and who delivered it.</summary>
public sealed class FakeHostLog
{
    private readonly ConcurrentDictionary<string, int> executions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(TimeSpan At, string Key, string From)> deliveries = new();

    public IReadOnlyDictionary<string, int> Executions => new Dictionary<string, int>(executions, StringComparer.Ordinal);

    public IReadOnlyList<(TimeSpan At, string Key, string From)> Deliveries => [.. deliveries];

    public void Executed(string key) => executions.AddOrUpdate(key, 1, (_, n) => n + 1);

    public void Delivered(TimeSpan at, string key, string from) => deliveries.Enqueue((at, key, from));
}

/// <summary>
/// A host that answers campaign steps like the real FleetHostActor, without disks: it reports to
/// the coordinator through its node's singleton proxy (at start and every <see cref="ReportEvery"/>,
/// so a new coordinator's registry learns it after a failover), runs each idempotency key once
/// (it takes <c>stepTime</c>), answers a finished key from its record (Replayed) and a running
/// key to every asker when it ends.
/// </summary>
public sealed class FakeFleetHost : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, HostStepResult> finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IActorRef>> running = new(StringComparer.Ordinal);

    private sealed record Report
    {
        public static readonly Report Instance = new();
    }

    private sealed record Finish(HostStep Step);

    public FakeFleetHost(string hostId, IActorRef coordinator, FakeHostLog log, Func<TimeSpan> clock, TimeSpan stepTime)
    {
        string node = AkkaCluster.Get(Context.System).SelfAddress.ToString();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["env"] = "fake" };

        Receive<Report>(_ => coordinator.Tell(new HostReport(hostId, node, labels, [], 1L << 30, 1, true, DateTimeOffset.UtcNow)));
        Receive<HostRegistered>(_ => { });
        Receive<HostStep>(step =>
        {
            log.Delivered(clock(), step.Key, Sender.Path.Address.ToString());
            if (step.HostId != hostId)
                Sender.Tell(new HostStepRefused(step.Key, step.HostId, $"this is host {hostId}"));
            else if (finished.TryGetValue(step.Key, out var done))
                Sender.Tell(done with { Replayed = true });
            else if (running.TryGetValue(step.Key, out var askers))
                askers.Add(Sender);
            else
            {
                log.Executed(step.Key);
                running[step.Key] = [Sender];
                Timers.StartSingleTimer(step.Key, new Finish(step), stepTime);
            }
        });
        Receive<Finish>(f =>
        {
            var result = new HostStepResult(f.Step.Key, hostId, true, $"{f.Step.Kind} done", false, DateTimeOffset.UtcNow);
            finished[f.Step.Key] = result;
            foreach (var asker in running[f.Step.Key]) asker.Tell(result);
            running.Remove(f.Step.Key);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Self.Tell(Report.Instance);
        Timers.StartPeriodicTimer("report", Report.Instance, ReportEvery);
    }

    public static Props Props(string hostId, IActorRef coordinator, FakeHostLog log, Func<TimeSpan> clock, TimeSpan stepTime) =>
        Akka.Actor.Props.Create(() => new FakeFleetHost(hostId, coordinator, log, clock, stepTime));
}
