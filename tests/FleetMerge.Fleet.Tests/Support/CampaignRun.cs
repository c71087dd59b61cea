using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>
/// Drives the pure campaign machine the way the actor does: decide, apply, then advance; keeps
/// the whole journal so tests can replay it and look at what was decided when.
/// </summary>
public sealed class CampaignRun
{
    private readonly List<ICampaignEvent> journal = [];

    public CampaignRun(CampaignPlan plan, DateTimeOffset? at = null, CampaignTuning? tuning = null)
    {
        Now = at ?? CampaignFixtures.T0;
        Tuning = tuning ?? CampaignTuning.Default;
        var created = CampaignDecisions.Create(plan, "test", Now);
        journal.Add(created);
        State = CampaignEvolution.Create(created);
        Advance();
    }

    public CampaignState State { get; private set; }

    public DateTimeOffset Now { get; set; }

    public CampaignTuning Tuning { get; }

    public IReadOnlyList<ICampaignEvent> Journal => journal;

    /// <summary>Applies what <paramref name="decide"/> returns, then <see cref="CampaignDecisions.Advance"/>; returns both.</summary>
    public IReadOnlyList<ICampaignEvent> Do(Func<CampaignState, IReadOnlyList<ICampaignEvent>> decide)
    {
        var events = Take(decide(State)).ToList();
        events.AddRange(Advance());
        return events;
    }

    public IReadOnlyList<ICampaignEvent> Result(HostStepResult result) => Do(s => CampaignDecisions.OnResult(s, result, Now));

    public IReadOnlyList<ICampaignEvent> Tick() => Do(s => CampaignDecisions.OnTick(s, Now, Tuning));

    public IReadOnlyList<ICampaignEvent> Advance() => Take(CampaignDecisions.Advance(State, Now));

    /// <summary>Answers the pending step of <paramref name="hostId"/>.</summary>
    public IReadOnlyList<ICampaignEvent> Answer(string hostId, bool ok = true, string detail = "ok")
    {
        string key = Host(hostId).PendingKey ?? throw new InvalidOperationException($"{hostId} has no pending step: {Host(hostId)}");
        return Result(new HostStepResult(key, hostId, ok, detail, false, Now));
    }

    /// <summary>Answers every pending step ok until no host has one (or <paramref name="fail"/> says fail).</summary>
    public void AnswerAll(Func<string, int, bool>? fail = null)
    {
        while (State.Hosts.FirstOrDefault(h => h.PendingKey is not null) is { } host)
            Answer(host.HostId, ok: !(fail?.Invoke(host.HostId, host.StepIndex) ?? false), detail: "scripted");
    }

    public HostRun Host(string hostId) => CampaignDecisions.Host(State, hostId) ?? throw new ArgumentException($"no host {hostId}");

    public IReadOnlyList<string> Running => [.. State.Hosts.Where(h => h.Outcome == HostOutcomes.Running).Select(h => h.HostId)];

    public IReadOnlyList<string> Outcomes(string outcome) => [.. State.Hosts.Where(h => h.Outcome == outcome).Select(h => h.HostId)];

    private IReadOnlyList<ICampaignEvent> Take(IReadOnlyList<ICampaignEvent> events)
    {
        State = CampaignEvolution.ApplyAll(State, events);
        journal.AddRange(events);
        return events;
    }
}
