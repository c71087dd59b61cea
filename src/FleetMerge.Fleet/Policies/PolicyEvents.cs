using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Policies;

// Everything the policy scheduler (persistence id "policies") writes. Plain records for the node's
// string-manifest JSON serializer; proposed manifests in brackets.

/// <summary>The scheduler's journal events.</summary>
public interface IPolicyEvent : IPersistedEvent;

/// <summary>[policy.added.v1] A validated policy (time zone filled in).</summary>
public sealed record PolicyAdded(PolicySpec Spec, DateTimeOffset At) : IPolicyEvent;

/// <summary>[policy.removed.v1] The policy and its run history are gone; its snapshots stay on the hosts.</summary>
public sealed record PolicyRemoved(string Name, DateTimeOffset At) : IPolicyEvent;

/// <summary>[policy.run-started.v1] The coordinator accepted the run's snapshot campaign.</summary>
/// <param name="Due">The cron occurrence (or the request time of a run-now).</param>
/// <param name="Missed">Due while no coordinator was up; this one run stands for every occurrence missed.</param>
public sealed record PolicyRunStarted(string Name, DateTimeOffset Due, string CampaignId, bool Missed, DateTimeOffset StartedAt) : IPolicyEvent;

/// <summary>[policy.run-pruned.v1] After the run's campaign ended: how many snapshots pruning asked hosts to remove.</summary>
/// <param name="CampaignState">How the run's campaign ended (null when the coordinator no longer knew it).</param>
public sealed record PolicyRunPruned(string Name, string CampaignId, int Removed, string? CampaignState, DateTimeOffset At) : IPolicyEvent;

/// <summary>[policy.book.v1] An Akka snapshot of every policy and its runs (bounds recovery).</summary>
public sealed record PolicyBookSnapshot(IReadOnlyList<PolicyEntry> Policies) : IPersistedSnapshot;

/// <summary>A policy with its run history, oldest run first (inside <see cref="PolicyBookSnapshot"/>).</summary>
public sealed record PolicyEntry(PolicySpec Spec, DateTimeOffset CreatedAt, IReadOnlyList<PolicyRunRecord> Runs)
{
    public string Name => Spec.Name;
}

/// <summary>One run (inside <see cref="PolicyBookSnapshot"/>); <see cref="Pruned"/> is null until pruning after its campaign.</summary>
public sealed record PolicyRunRecord(DateTimeOffset Due, DateTimeOffset StartedAt, string CampaignId, bool Missed, int? Pruned, string? CampaignState);
