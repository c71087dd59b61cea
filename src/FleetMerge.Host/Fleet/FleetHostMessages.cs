using Akka.Actor;

namespace FleetMerge.Host.Fleet;

/// <summary>A step (from its runner) → the fleet host actor: restart the owned host agent (a simulated reboot).</summary>
public sealed record RestartOwnedAgent(string Reason);

/// <summary>Reply to <see cref="RestartOwnedAgent"/>: the new agent has activated its groups.</summary>
public sealed record OwnedAgentRestarted(long Incarnation);

/// <summary>Tests and diagnostics: what the fleet host actor knows.</summary>
public sealed record GetFleetHostView
{
    public static readonly GetFleetHostView Instance = new();
}

public sealed record FleetHostView(string HostId, long Incarnation, bool Ready, IReadOnlyList<string> Running, int FinishedKept, IActorRef? Agent);

/// <summary>A step run ended (piped from its task); <see cref="Run"/> tells runs of an earlier actor instance apart.</summary>
internal sealed record StepRunEnded(string Key, Guid Run, StepOutcome Outcome);

/// <summary>The agent of an incarnation has loaded its groups (and, on a new simulated host, its disk is provisioned).</summary>
internal sealed record AgentReady(AgentHandle Agent, string? Problem);

internal sealed record Heartbeat
{
    public static readonly Heartbeat Instance = new();
}
