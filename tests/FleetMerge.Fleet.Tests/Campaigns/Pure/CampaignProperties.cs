using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol.Fleet;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

/// <summary>
/// Random campaigns against random hosts: answers duplicated, reordered and replayed (any key
/// ever sent may be answered again, ok or not), steps that never get an answer, pauses, resumes
/// and aborts, the clock jumping past timeouts, the state rebuilt from its journal and from its
/// JSON snapshot. After every move the invariants hold; at the end every host has exactly one
/// terminal outcome.
/// </summary>
public sealed class CampaignProperties
{
    [Property(MaxTest = 250)]
    public Property Campaigns_keep_their_invariants_under_any_order_of_answers(int seed) =>
        Check(seed, allowAbort: true);

    [Property(MaxTest = 150)]
    public Property Without_an_abort_the_budget_decides_between_completed_and_failed(int seed) =>
        Check(seed, allowAbort: false);

    private static Property Check(int seed, bool allowAbort)
    {
        var random = new Random(seed);
        var spec = RandomSpec(random);
        int hostCount = random.Next(1, 26);
        var plan = spec.Kind == CampaignKinds.Snapshot
            ? CampaignPlanner.Plan("c1", spec, HostIds(hostCount), [], null)
            : CampaignPlanner.Plan("c1", spec, null, [], new CampaignTargets("c0", CampaignKinds.Snapshot, CampaignStates.Completed, true, "c0",
                ["vg0/root"], HostIds(hostCount), []));
        var failing = HostIds(hostCount).Where(_ => random.NextDouble() < 0.15).ToHashSet();
        var silent = HostIds(hostCount).Where(_ => random.NextDouble() < 0.05).ToHashSet();
        var tuning = new CampaignTuning(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        var run = new CampaignRun(plan, tuning: tuning);
        var sent = new List<(string Host, string Key)>();
        var problems = new List<string>();
        int limit = spec.MaxInFlight == 0 ? plan.Waves.Max(w => w.Hosts.Count) : spec.MaxInFlight;
        string log = $"seed {seed}: {hostCount} hosts, waves {string.Join("/", plan.Waves.Select(w => w.Hosts.Count))}, in flight {spec.MaxInFlight}, "
            + $"budget {plan.FailuresAllowed}, steps {plan.Steps.Count}, failing {string.Join(",", failing)}, silent {string.Join(",", silent)}";

        void Observe(IReadOnlyList<ICampaignEvent> events)
        {
            foreach (var started in events.OfType<StepStarted>()) sent.Add((started.HostId, started.Key));
            Invariants(run, limit, problems);
        }

        Observe(run.Journal);
        for (int move = 0; move < 400 && run.State.EndedAt is null; move++)
        {
            int dice = random.Next(100);
            if (dice < 75 && sent.Count > 0)
            {
                // Mostly the newest keys, sometimes any old one again (a duplicate or a replay).
                var (host, key) = random.Next(4) == 0 ? sent[random.Next(sent.Count)] : sent[Math.Max(0, sent.Count - 1 - random.Next(Math.Min(sent.Count, 6)))];
                if (silent.Contains(host)) continue;
                bool ok = !failing.Contains(host) || random.Next(3) > 0;
                Observe(run.Result(new HostStepResult(key, host, ok, ok ? "ok" : "scripted failure", random.Next(2) == 0, run.Now)));
            }
            else if (dice < 85)
            {
                run.Now += TimeSpan.FromSeconds(random.Next(8) == 0 ? 400 : 1);
                Observe(run.Tick());
            }
            else if (dice < 91) Observe(Try(run, s => CampaignDecisions.Pause(s, run.Now)));
            else if (dice < 99) Observe(Try(run, s => CampaignDecisions.Resume(s, run.Now)));
            else if (allowAbort && random.Next(4) == 0) Observe(Try(run, s => CampaignDecisions.Abort(s, run.Now)));
            if (move % 25 == 0) Replays(run, problems);
        }
        // Let it finish: resume, then every host answers or times out.
        Observe(Try(run, s => CampaignDecisions.Resume(s, run.Now)));
        for (int round = 0; round < 200 && run.State.EndedAt is null; round++)
        {
            foreach (var host in run.State.Hosts.Where(h => h.PendingKey is not null && !silent.Contains(h.HostId)).ToList())
                Observe(run.Result(new HostStepResult(host.PendingKey!, host.HostId, !failing.Contains(host.HostId), "final", false, run.Now)));
            run.Now += TimeSpan.FromMinutes(10);
            Observe(run.Tick());
        }
        Replays(run, problems);
        Final(run, allowAbort, problems);
        return (problems.Count == 0).Label(log + "\n" + string.Join("\n", problems.Take(10)));
    }

    private static CampaignSpec RandomSpec(Random random)
    {
        var spec = Snapshot(
            canary: random.Next(0, 3),
            waveSize: random.Next(2) == 0 ? random.Next(1, 8).ToString() : $"{random.Next(10, 101)}%",
            maxInFlight: random.Next(0, 4),
            budget: random.Next(2) == 0 ? random.Next(0, 4).ToString() : $"{random.Next(0, 50)}%",
            upgrade: random.Next(2) == 0,
            health: random.Next(2) == 0,
            stepTimeout: TimeSpan.FromMinutes(5));
        return random.Next(5) == 0 ? spec with { Kind = CampaignKinds.Commit, Of = "c0", Volumes = [], Upgrade = false, Health = false } : spec;
    }

    private static IReadOnlyList<ICampaignEvent> Try(CampaignRun run, Func<CampaignState, IReadOnlyList<ICampaignEvent>> decide)
    {
        try { return run.Do(decide); }
        catch (FleetRequestException e) when (e.Kind == FleetRequestException.Conflict) { return []; }
    }

    private static void Invariants(CampaignRun run, int limit, List<string> problems)
    {
        var s = run.State;
        int running = s.Hosts.Count(h => h.Outcome == HostOutcomes.Running);
        if (running > limit) problems.Add($"{running} hosts running, at most {limit} allowed");
        var runningWaves = s.Hosts.Where(h => h.Outcome == HostOutcomes.Running).Select(h => h.Wave).Distinct().ToList();
        if (runningWaves.Count > 1) problems.Add($"hosts of waves {string.Join(",", runningWaves)} run at once");
        foreach (var h in s.Hosts.Where(h => h.Outcome != HostOutcomes.Pending && h.Outcome != HostOutcomes.Skipped))
            if (s.Hosts.Any(o => o.Wave < h.Wave && o.Outcome is HostOutcomes.Pending or HostOutcomes.Running))
                problems.Add($"{h.HostId} of wave {h.Wave} started before an earlier wave ended");
        if (s.FailuresSeen > s.Plan.FailuresAllowed + limit)
            problems.Add($"{s.FailuresSeen} failures with a budget of {s.Plan.FailuresAllowed} and {limit} in flight");
        if (s.FailuresSeen != s.Hosts.Count(h => h.Outcome == HostOutcomes.Failed)) problems.Add("failures seen does not count the failed hosts");
        if (s.Hosts.Any(h => h.PendingKey is not null && h.Outcome != HostOutcomes.Running)) problems.Add("a pending key on a host that is not running");
        if (s.State == CampaignStates.Paused && run.Journal[^1] is StepStarted) problems.Add("a step started while paused");
    }

    private static void Replays(CampaignRun run, List<string> problems)
    {
        string live = CampaignJson.Write(run.State);
        if (CampaignJson.Write(CampaignEvolution.Replay(run.Journal)) != live) problems.Add("the journal replays to another state");
        var (first, second) = CampaignJson.RoundTrip(run.State);
        if (first != second || first != live) problems.Add("the state does not survive its JSON snapshot");
    }

    private static void Final(CampaignRun run, bool allowAbort, List<string> problems)
    {
        var s = run.State;
        if (s.EndedAt is null) { problems.Add($"never ended: {CampaignProjection.WaitingFor(s, run.Now)}"); return; }
        // Exactly one terminal decision per host in the whole journal.
        foreach (var host in s.Hosts)
        {
            int last = s.Plan.Steps.Count - 1;
            int decided = run.Journal.Count(e => e switch
            {
                StepSucceeded ok => ok.HostId == host.HostId && ok.StepIndex == last,
                StepFailed f => f.HostId == host.HostId,
                HostStopped x => x.HostId == host.HostId,
                HostsSkipped k => k.HostIds.Contains(host.HostId),
                _ => false,
            });
            if (decided != 1) problems.Add($"{host.HostId} has {decided} terminal outcomes");
            if (!CampaignDecisions.IsEnded(host.Outcome) || host.PendingKey is not null) problems.Add($"{host.HostId} ended as {host.Outcome}");
        }
        var answered = run.Journal.Select(e => e switch { StepSucceeded ok => ok.Key, StepFailed f => f.Key, _ => null }).OfType<string>().ToList();
        if (answered.Count != answered.Distinct().Count()) problems.Add("a key was counted twice");
        int ends = run.Journal.Count(e => e is CampaignEnded);
        if (ends != 1) problems.Add($"{ends} ends");
        if (!allowAbort)
        {
            string expected = s.FailuresSeen > s.Plan.FailuresAllowed ? CampaignStates.Failed : CampaignStates.Completed;
            if (s.State != expected) problems.Add($"ended {s.State} with {s.FailuresSeen} failures and a budget of {s.Plan.FailuresAllowed}");
            if (s.State == CampaignStates.Completed && s.Hosts.Any(h => h.Outcome == HostOutcomes.Skipped)) problems.Add("completed with skipped hosts");
        }
    }
}
