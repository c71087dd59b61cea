using Akka.Actor;
using FleetMerge.Fleet.Coordination;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>What a fake host does with one delivery of a step.</summary>
public sealed record FakeAnswer(bool Reaches, bool Ok, string Detail)
{
    public static readonly FakeAnswer Ok_ = new(true, true, "ok");
    public static readonly FakeAnswer Lost = new(false, false, "");

    public static FakeAnswer Fail(string detail) => new(true, false, detail);

    /// <summary>The host answers HostStepRefused and does not run the step.</summary>
    public static FakeAnswer Refuse(string reason) => new(true, false, reason) { Refuses = true };

    public bool Refuses { get; init; }
}

/// <summary>Everything the fake hosts saw: executions and deliveries per key, and starts/ends in order.</summary>
public sealed record FleetLog(
    IReadOnlyDictionary<string, int> Executions,
    IReadOnlyDictionary<string, int> Deliveries,
    IReadOnlyList<(string What, HostStep Step)> Events,
    int Replays)
{
    public IReadOnlyList<string> KeysOf(string hostId) => [.. Executions.Keys.Where(k => k.Split('/')[1] == hostId).Order(StringComparer.Ordinal)];
}

public sealed record GetFleetLog
{
    public static readonly GetFleetLog Instance = new();
}

/// <summary>
/// Stands in for the host registry and every host behind it: resolves selectors over a fixed host
/// list, and runs each delivered step like a real host agent — once per idempotency key: a key
/// already answered gets the recorded answer again (Replayed), a key still running gets its
/// answer when it ends. A script decides per delivery whether the step reaches the host (lost
/// deliveries force resends) and whether it succeeds. It lives outside the coordinator, so a
/// killed coordinator does not take the hosts with it.
/// </summary>
public sealed class CampaignFleet : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, int> executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> deliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostStepResult> results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IActorRef>> running = new(StringComparer.Ordinal);
    private readonly List<(string What, HostStep Step)> events = [];
    private int replays;

    private sealed record Finish(HostStep Step, FakeAnswer Answer);

    public CampaignFleet(IReadOnlyList<string> hosts, IReadOnlyList<string> canaries, Func<HostStep, int, FakeAnswer> script, TimeSpan delay)
    {
        Receive<ResolveHosts>(r =>
        {
            string selector = r.Selector.Trim();
            if (selector == "all") Sender.Tell(new ResolvedHosts(hosts));
            else if (selector == Coordinator.CanarySelector) Sender.Tell(new ResolvedHosts(canaries));
            else if (selector.StartsWith("host=", StringComparison.Ordinal))
            {
                var named = selector["host=".Length..].Split('|').ToHashSet(StringComparer.Ordinal);
                Sender.Tell(new ResolvedHosts([.. hosts.Where(named.Contains)]));
            }
            else if (selector == "env=nowhere") Sender.Tell(new ResolvedHosts([]));
            else Sender.Tell(new Status.Failure(new FleetRequestException(FleetRequestException.BadRequest, $"selector term '{selector}': not understood")));
        });
        Receive<DeliverStep>(d =>
        {
            var step = d.Step;
            int delivery = deliveries[step.Key] = deliveries.GetValueOrDefault(step.Key) + 1;
            var answer = script(step, delivery);
            if (!answer.Reaches) return;
            if (answer.Refuses)
            {
                Sender.Tell(new HostStepRefused(step.Key, step.HostId, answer.Detail));
                return;
            }
            if (results.TryGetValue(step.Key, out var done))
            {
                replays++;
                Sender.Tell(done with { Replayed = true });
                return;
            }
            if (running.TryGetValue(step.Key, out var askers))
            {
                askers.Add(Sender);
                return;
            }
            executions[step.Key] = executions.GetValueOrDefault(step.Key) + 1;
            running[step.Key] = [Sender];
            events.Add(("start", step));
            if (delay == TimeSpan.Zero) Self.Tell(new Finish(step, answer));
            else Timers.StartSingleTimer(step.Key, new Finish(step, answer), delay);
        });
        Receive<Finish>(f =>
        {
            var result = new HostStepResult(f.Step.Key, f.Step.HostId, f.Answer.Ok, f.Answer.Detail, false, DateTimeOffset.UtcNow);
            results[f.Step.Key] = result;
            events.Add(("end", f.Step));
            foreach (var asker in running[f.Step.Key]) asker.Tell(result);
            running.Remove(f.Step.Key);
        });
        Receive<GetFleetLog>(_ => Sender.Tell(new FleetLog(
            new Dictionary<string, int>(executions), new Dictionary<string, int>(deliveries), events.ToList(), replays)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<string> hosts, IReadOnlyList<string> canaries, Func<HostStep, int, FakeAnswer> script, TimeSpan delay) =>
        Akka.Actor.Props.Create(() => new CampaignFleet(hosts, canaries, script, delay));
}

/// <summary>The coordinator's registry child in tests: forwards everything (keeping the Sender) to a <see cref="CampaignFleet"/>.</summary>
public sealed class CampaignRegistryStub : ReceiveActor
{
    public CampaignRegistryStub(IActorRef fleet) => ReceiveAny(m => fleet.Forward(m));

    public static Props Props(IActorRef fleet) => Akka.Actor.Props.Create(() => new CampaignRegistryStub(fleet));
}
