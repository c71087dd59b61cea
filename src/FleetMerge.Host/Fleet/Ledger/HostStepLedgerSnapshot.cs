using FleetMerge.Protocol;

namespace FleetMerge.Host.Fleet.Ledger;

/// <summary>The ledger as an Akka snapshot: steps still open, the finished ones kept (oldest first), the incarnation.</summary>
public sealed record HostStepLedgerSnapshot(long Incarnation, IReadOnlyList<OpenStep> Open, IReadOnlyList<FinishedStep> Finished) : IPersistedSnapshot;

/// <summary>A step accepted and not finished (running, or cut short by a restart).</summary>
public sealed record OpenStep(string Key, string Kind, DateTimeOffset At);

/// <summary>The recorded result of a step.</summary>
public sealed record FinishedStep(string Key, string Kind, bool Ok, string Detail, DateTimeOffset At);
