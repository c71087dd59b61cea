namespace FleetMerge.Fleet.Policies;

/// <summary>A scheduled run to start now.</summary>
/// <param name="Due">The cron occurrence it stands for (the latest one that has come).</param>
/// <param name="Missed">It was due while no coordinator ran it: late by more than the allowed lateness, or later occurrences came too (they are folded into this one run).</param>
public sealed record DueRun(DateTimeOffset Due, bool Missed);
