using System.Diagnostics;
using FleetMerge.Node.Api.Fleet;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// One trial of a fleet scenario on the shared cluster. The model is every host's origin image read
/// from disk before anything starts. A snapshot-before-upgrade campaign runs (random waves, limits,
/// budget, timeout), then a rollback by merge-on-reboot (even trials) or a commit (odd ones) of it,
/// and the <see cref="IDisruption"/> strikes at a random instant of one of them. Hosts whose
/// rollback or commit did not succeed get up to two more campaigns for them alone (nothing strikes
/// those), so that the trial ends with the fleet clean and every byte accounted for.
/// <para>
/// Checked against the model and the stores: every campaign names each of its hosts once with a
/// final outcome; a host whose snapshot the journal records has it on disk, one without has none
/// and an unchanged origin; after a rollback every origin equals its pre-upgrade bytes, after a
/// commit the bytes the upgrade left, and no snapshot of the campaign is left on any host; each step
/// key ran at most once (<see cref="StepOnceCheck"/>).
/// </para>
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FleetTrial(TortureCluster cluster, string journal, IDisruption disruption, IReadOnlyList<string> stepTimeouts)
{
    private static readonly TimeSpan CampaignLimit = TimeSpan.FromMinutes(10), SettleLimit = TimeSpan.FromMinutes(3);
    private const int StrikeWithinMs = 3_000;

    public async Task<TrialOutcome> RunAsync(TrialContext trial)
    {
        var random = trial.Random;
        var problems = new List<string>();
        var lost = new List<string>();
        var campaigns = new List<string>();
        await cluster.AwaitSettledAsync(SettleLimit);
        var model = cluster.ReadOrigins();
        bool rollback = trial.Number % 2 == 0;
        string kind = rollback ? CampaignKinds.Rollback : CampaignKinds.Commit;
        bool strikeFirst = random.Next(2) == 0;

        var (c1, view1) = await RunCampaignAsync(CampaignChoices.Snapshot(random, stepTimeouts), strikeFirst, random, trial);
        campaigns.Add(c1);
        problems.AddRange(OutcomeCheck.Problems(c1, view1.State, view1.Hosts.Select(h => (h.HostId, h.Outcome)), TortureCluster.HostIds));
        var withSnapshot = EvidenceReader.CampaignSteps(journal, c1)
            .Where(s => s.Manifest == JournalStep.Succeeded && s.StepIndex == 1).Select(s => s.HostId).Distinct().Order(StringComparer.Ordinal).ToList();
        var upgraded = cluster.ReadOrigins();
        string tag = $"root-{c1}";
        foreach (string host in TortureCluster.HostIds)
        {
            bool recorded = withSnapshot.Contains(host), onDisk = cluster.Snapshots(host).Contains(tag);
            string outcome = view1.Hosts.FirstOrDefault(h => h.HostId == host)?.Outcome ?? "none";
            if (recorded && !onDisk) lost.Add($"{host}: {c1} recorded its snapshot taken, but {tag} is not on its disk");
            if (!recorded && onDisk) problems.Add($"{host}: {tag} is on its disk, but {c1} ({outcome} there) never recorded it taken: no rollback or commit of {c1} acts on it");
            if (!recorded && Differs(model[host], upgraded[host]) is { } at) lost.Add($"{host}: origin changed in {c1} (at byte {at}) without a snapshot recorded ({outcome})");
            if (outcome == HostOutcomes.Succeeded && Differs(model[host], upgraded[host]) is null) problems.Add($"{host}: succeeded in {c1}, but the upgrade left its origin unchanged");
        }
        Log(trial, $"{c1}: {view1.State}, {withSnapshot.Count} hosts with its snapshot; now {kind} of {c1}");

        var remaining = withSnapshot;
        for (int attempt = 0; attempt < 3 && remaining.Count > 0; attempt++)
        {
            var request = CampaignChoices.FollowUp(random, kind, c1, stepTimeouts, attempt == 0 ? null : remaining);
            var (c, view) = await RunCampaignAsync(request, attempt == 0 && !strikeFirst, random, trial);
            campaigns.Add(c);
            problems.AddRange(OutcomeCheck.Problems(c, view.State, view.Hosts.Select(h => (h.HostId, h.Outcome)), remaining));
            remaining = [.. view.Hosts.Where(h => h.Outcome != HostOutcomes.Succeeded).Select(h => h.HostId).Order(StringComparer.Ordinal)];
            Log(trial, $"{c}: {view.State}; not succeeded: {(remaining.Count == 0 ? "none" : string.Join(", ", view.Hosts.Where(h => h.Outcome != HostOutcomes.Succeeded).Select(h => $"{h.HostId} {h.Outcome} at {h.Step}: {h.Detail}")))}");
        }
        if (remaining.Count > 0) problems.Add($"{kind} of {c1} did not succeed on {string.Join(", ", remaining)} in 3 campaigns ({string.Join(", ", campaigns.Skip(1))})");

        var final = cluster.ReadOrigins();
        foreach (string host in TortureCluster.HostIds.Where(h => !remaining.Contains(h)))
        {
            var expected = rollback || !withSnapshot.Contains(host) ? model[host] : upgraded[host];
            string which = rollback ? "its pre-upgrade bytes" : withSnapshot.Contains(host) ? "the bytes its upgrade left" : "its bytes before the trial";
            if (Differs(expected, final[host]) is { } at) lost.Add($"{host}: after the {kind} of {c1} its origin differs from {which} at byte {at}");
            if (cluster.Snapshots(host).Contains(tag)) problems.Add($"{host}: snapshot {tag} left behind after its {kind} succeeded");
        }

        var ledgers = cluster.Nodes.SelectMany(n => EvidenceReader.Ledgers(n.DataDir)).ToList();
        var steps = campaigns.SelectMany(c => EvidenceReader.CampaignSteps(journal, c)).ToList();
        problems.AddRange(StepOnceCheck.Problems(ledgers, steps, campaigns));
        Log(trial, $"campaigns {string.Join(", ", campaigns)}: {steps.Count(s => s.Manifest == JournalStep.Started)} steps journaled, " +
            $"{problems.Count} problems, {lost.Count} losses");
        foreach (string line in lost.Concat(problems)) Log(trial, line);

        if (lost.Count > 0) return TrialOutcome.Lost(Summary(lost));
        return problems.Count > 0 ? TrialOutcome.Failure(Summary(problems)) : TrialOutcome.Passed;
    }

    /// <summary>Starts the campaign, strikes at a random instant of it if asked, waits for its end, the recovery and a settled fleet.</summary>
    private async Task<(string Id, CampaignView View)> RunCampaignAsync(CampaignRequest request, bool strike, Random random, TrialContext trial)
    {
        var accepted = await cluster.AskAsync($"POST /campaigns ({request.Kind})", (c, ct) => c.StartCampaignAsync(request, ct), TimeSpan.FromSeconds(60));
        Log(trial, $"{accepted.Id}: {request.Kind}{(request.Of is null ? "" : $" of {request.Of}")} over {accepted.Hosts} hosts " +
            $"(hosts {request.Hosts ?? "all"}, waves {request.WaveSize}, in flight {request.MaxInFlight}, canary {request.Canary}, health {request.Health}, " +
            $"budget {request.FailureBudget}, step timeout {request.StepTimeout}){(strike ? ", strike during it" : "")}");
        Task<string>? striking = null;
        if (strike)
        {
            int delay = random.Next(StrikeWithinMs);
            // The disruption alone uses the Random until it is awaited below, so its draws stay in seed order.
            striking = Task.Run(async () =>
            {
                await Task.Delay(delay);
                return await disruption.StrikeAndRecoverAsync(cluster, random, line => Log(trial, line));
            });
        }
        var clock = Stopwatch.StartNew();
        CampaignView view;
        while (true)
        {
            view = await cluster.AskAsync($"GET /campaigns/{accepted.Id}", (c, ct) => c.CampaignAsync(accepted.Id, ct), CampaignLimit,
                retryOn: e => e.Status == 409);
            if (view.State is CampaignStates.Completed or CampaignStates.Failed or CampaignStates.Aborted) break;
            if (clock.Elapsed > CampaignLimit)
                throw new TimeoutException($"campaign {accepted.Id} still {view.State} after {CampaignLimit.TotalMinutes:0} min; waiting for {view.WaitingFor}");
            await Task.Delay(1000);
        }
        Log(trial, $"{accepted.Id}: ended {view.State} after {clock.Elapsed.TotalSeconds:F1} s{(view.Halted is null ? "" : $" ({view.Halted})")}");
        if (striking is not null) Log(trial, $"{accepted.Id}: {await striking}");
        await cluster.AwaitSettledAsync(SettleLimit);
        return (accepted.Id, view);
    }

    private static readonly Lock LogGate = new();

    /// <summary>The trial's log, written by the trial and by a disruption running beside it.</summary>
    private static void Log(TrialContext trial, string line)
    {
        lock (LogGate) trial.Log(line);
    }

    /// <summary>The first offset where the two images differ (or their length), null when equal.</summary>
    public static long? Differs(byte[] expected, byte[] actual)
    {
        int n = Math.Min(expected.Length, actual.Length);
        for (int i = 0; i < n; i++)
            if (expected[i] != actual[i]) return i;
        return expected.Length == actual.Length ? null : n;
    }

    private static string Summary(List<string> lines) =>
        string.Join("; ", lines.Take(3)) + (lines.Count > 3 ? $"; and {lines.Count - 3} more (see the trial's log)" : "");
}
