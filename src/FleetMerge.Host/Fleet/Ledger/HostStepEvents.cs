using FleetMerge.Protocol;

namespace FleetMerge.Host.Fleet.Ledger;

/// <summary>
/// The host step ledger's journal (persistence id <c>host-steps-&lt;host id&gt;</c>, the node's
/// host-local journal): which step keys this host accepted and finished, and the incarnations of
/// its host agent. It is what makes a resent step (same key) a replay instead of a second run.
/// </summary>
public interface IHostStepEvent : IPersistedEvent;

/// <summary>The host started step <paramref name="Key"/> (written before it runs).</summary>
/// <param name="Kind">One of FleetMerge.Protocol.Fleet.StepKinds: after a crash it decides whether the step runs again.</param>
public sealed record StepAccepted(string Key, string Kind, DateTimeOffset At) : IHostStepEvent;

/// <summary>Step <paramref name="Key"/> ended; a later step with the same key is answered with this.</summary>
public sealed record StepFinished(string Key, bool Ok, string Detail, DateTimeOffset At) : IHostStepEvent;

/// <summary>The host agent (re)started: a node start, a simulated reboot, a crash of an owned agent.</summary>
public sealed record IncarnationStarted(long Incarnation, DateTimeOffset At) : IHostStepEvent;
