using FleetMerge.Bench.Processes;
using FleetMerge.Protocol.Host;
using FleetMerge.Torture.Api;
using FleetMerge.Torture.Harness;

namespace FleetMerge.Torture.Node;

/// <summary>
/// One node-merge-kill trial on a shared node: a fresh volume group, an origin of random bytes, a
/// snapshot, writes around it (sometimes a second snapshot), the merge requested, the node SIGKILLed
/// at the planned instant (sometimes again after the restart), then the resumed merge awaited and
/// every volume compared byte for byte with the <see cref="FamilyModel"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MergeKillTrial(NodeHandle node, TrialContext trial, MergeKillPlan plan)
{
    private const string Probe = "probe";
    private static readonly TimeSpan MergeDeadline = TimeSpan.FromMinutes(3);

    private readonly string vg = $"k{trial.Number}";
    private readonly Random random = trial.Random;
    private FamilyModel model = null!;
    private bool merged;
    private bool probeTaken;

    private ApiClient Api => node.Api;

    public async Task<TrialOutcome> RunAsync(CancellationToken cancel)
    {
        trial.Log($"plan: {plan}");
        await node.EnsureAsync(plan.MaxRate);
        await BuildFamilyAsync();

        bool acknowledged;
        if (plan.Kill == KillPoint.WithRequest)
        {
            acknowledged = await KillWithRequestAsync();
        }
        else
        {
            var accepted = await Api.MergeAsync(vg, MergeKillPlan.Merged, plan.Mode);
            if (accepted.Status != 202) return TrialOutcome.Failure($"merge request: expected 202, got {accepted}");
            acknowledged = true;
            if (await DuringMergeAsync() is { } failure) return failure;
            if (plan.Kill == KillPoint.AfterComplete)
            {
                if (await AwaitMergeOverAsync(acknowledged: true) is { } notOver) return notOver;
            }
            else
            {
                await Task.Delay(plan.KillDelayMs, cancel);
            }
            trial.Log($"SIGKILL ({plan.Kill})");
            await node.KillAsync();
            await node.StartAsync(plan.MaxRate);
        }
        if (plan.KillAgain && !await MergeOverAsync())
        {
            await Task.Delay(plan.SecondKillDelayMs, cancel);
            trial.Log("SIGKILL again, after the restart");
            await node.RestartAfterKillAsync();
        }

        if (await AwaitMergeOverAsync(acknowledged) is { } hung) return hung;
        if (!merged) model.Merge(MergeKillPlan.Merged);
        merged = true;
        var outcome = await CheckResultAsync();
        if (!outcome.Failed) await CleanUpAsync();
        return outcome;
    }

    private async Task BuildFamilyAsync()
    {
        await Api.CreateVgAsync(vg);
        await Api.CreateLvAsync(vg, MergeKillPlan.Origin, plan.OriginBytes);
        var bytes = new byte[plan.OriginBytes];
        random.NextBytes(bytes);
        await Api.WriteAsync(vg, MergeKillPlan.Origin, 0, bytes);
        model = new FamilyModel(bytes);
        VolumeCalls.Expect(await Api.SnapshotAsync(vg, MergeKillPlan.Origin, MergeKillPlan.Merged, plan.CowBytes, plan.ChunkBytes), 201, "snapshot s1");
        model.TakeSnapshot(MergeKillPlan.Merged);
        foreach (var step in plan.Steps)
        {
            if (step.TakeSecondSnapshot)
            {
                VolumeCalls.Expect(await Api.SnapshotAsync(vg, MergeKillPlan.Origin, MergeKillPlan.Second, plan.CowBytes, 4096), 201, "snapshot s2");
                model.TakeSnapshot(MergeKillPlan.Second);
            }
            else if (step.Write is { } write)
            {
                byte[] data = Bytes(write.Length);
                await Api.WriteAsync(vg, write.Target, write.Offset, data);
                if (write.Target == MergeKillPlan.Origin) model.WriteOrigin(write.Offset, data);
                else model.WriteSnapshot(write.Target, write.Offset, data);
            }
        }
        trial.Log($"family built: {plan.Steps.Count} steps");
    }

    /// <summary>The request in flight when the node dies: returns whether the node acknowledged it (202) before.</summary>
    private async Task<bool> KillWithRequestAsync()
    {
        var request = Api.MergeAsync(vg, MergeKillPlan.Merged, plan.Mode);
        await Task.Delay(plan.KillDelayMs);
        trial.Log($"SIGKILL {plan.KillDelayMs} ms after sending the merge request");
        await node.KillAsync();
        bool acknowledged;
        try { acknowledged = (await request).Status == 202; }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException) { acknowledged = false; }
        trial.Log($"the merge request was {(acknowledged ? "" : "not ")}acknowledged");
        await node.StartAsync(plan.MaxRate);
        return acknowledged;
    }

    /// <summary>While the merge runs: writes to the merging view, a snapshot that must be refused, reads that must show the merging data.</summary>
    private async Task<TrialOutcome?> DuringMergeAsync()
    {
        foreach (var write in plan.WritesDuringMerge)
        {
            byte[] data = Bytes(write.Length);
            await Api.WriteAsync(vg, write.Target, write.Offset, data);
            // While merging, the origin shows the merging snapshot's view: that view is what the write changed.
            model.WriteSnapshot(MergeKillPlan.Merged, write.Offset, data);
        }

        var probe = await Api.SnapshotAsync(vg, MergeKillPlan.Origin, Probe, plan.CowBytes, 4096);
        if (probe.Status == 409)
        {
            if (probe.Error is not { } error || !error.Contains("merging", StringComparison.Ordinal))
                return TrialOutcome.Failure($"a snapshot during the merge was refused with the wrong error: {probe}");
        }
        else if (probe.Status is 201 or 404)
        {
            // Legal only when the merge had already completed (under namesnapshot the origin's name is gone then).
            bool expected = probe.Status == (plan.Mode == "namesnapshot" ? 404 : 201);
            if (!expected || !await MergeOverAsync())
                return TrialOutcome.Failure($"a snapshot during the merge was answered {probe} while the merge was not complete");
            model.Merge(MergeKillPlan.Merged);
            merged = true;
            if (probe.Status == 201)
            {
                model.TakeSnapshot(Probe);
                probeTaken = true;
            }
        }
        else
        {
            return TrialOutcome.Failure($"a snapshot during the merge: expected 409, got {probe}");
        }

        byte[] view = merged ? model.Origin : model.Snapshots[MergeKillPlan.Merged];
        for (int i = 0; i < 3; i++)
        {
            long length = Math.Min(plan.OriginBytes, random.Next(1, 256 << 10));
            long offset = random.NextInt64(0, plan.OriginBytes - length + 1);
            var read = await Api.ReadAsync(vg, plan.MergingViewName, offset, length);
            if (read.Status != 200) return TrialOutcome.Failure($"read of {plan.MergingViewName} during the merge: {read}");
            if (FamilyModel.FirstDifference(view.AsSpan((int)offset, (int)length), read.Body) is var at and >= 0)
                return TrialOutcome.Lost($"read of {vg}/{plan.MergingViewName} [{offset}, +{length}) during the merge differs from the snapshot's view at byte {offset + at}");
        }
        if (plan.Mode == "nameorigin")
        {
            var hidden = await Api.ReadAsync(vg, MergeKillPlan.Merged, 0, 512);
            if (hidden.Status is not (409 or 404))
                return TrialOutcome.Failure($"read of the merging snapshot {MergeKillPlan.Merged} by its own name: expected 409 (or 404 once gone), got {hidden}");
        }
        return null;
    }

    /// <summary>The family as the node lists it says the merge is over: no merge mark left, the result under its name.</summary>
    private async Task<bool> MergeOverAsync()
    {
        var rows = await Api.LvsAsync(vg);
        return Over(rows);
    }

    private bool Over(IReadOnlyList<LvRow> rows) =>
        !rows.Any(r => r.Attr[0] is 'O' or 'S')
        && rows.Any(r => r.Name == plan.ResultName && r.Attr[0] is 'o' or '-')
        && !rows.Any(r => r.Name == (plan.ResultName == MergeKillPlan.Origin ? MergeKillPlan.Merged : MergeKillPlan.Origin));

    /// <summary>Polls until the merge is over; re-requests a merge that an unacknowledged request never started.</summary>
    private async Task<TrialOutcome?> AwaitMergeOverAsync(bool acknowledged)
    {
        var deadline = DateTime.UtcNow + MergeDeadline;
        while (true)
        {
            var rows = await Api.LvsAsync(vg);
            if (Over(rows)) return null;
            if (rows.FirstOrDefault(r => r.Name == MergeKillPlan.Merged) is { } snapshot)
            {
                if (snapshot.Attr[4] == 'm') return TrialOutcome.Failure($"the merge failed: {snapshot.Name} attr {snapshot.Attr}");
                if (snapshot.Attr[0] == 's')
                {
                    if (acknowledged) return TrialOutcome.Failure("an acknowledged merge request was lost: after the restart s1 has no merge requested");
                    trial.Log("the unacknowledged request never took effect: requesting the merge again");
                    var again = await Api.MergeAsync(vg, MergeKillPlan.Merged, plan.Mode);
                    if (again.Status != 202) return TrialOutcome.Failure($"merge request after the restart: expected 202, got {again}");
                    acknowledged = true;
                }
            }
            if (DateTime.UtcNow > deadline)
                return TrialOutcome.Failure($"the merge did not end within {MergeDeadline.TotalMinutes:F0} min: {string.Join(", ", rows.Select(r => $"{r.Name} {r.Attr} {r.MergePercent}"))}");
            await Task.Delay(100);
        }
    }

    private async Task<TrialOutcome> CheckResultAsync()
    {
        var rows = await Api.LvsAsync(vg);
        var expectedNames = new SortedSet<string>(StringComparer.Ordinal) { plan.ResultName };
        foreach (string name in model.Snapshots.Keys) expectedNames.Add(name);
        var names = new SortedSet<string>(rows.Select(r => r.Name), StringComparer.Ordinal);
        if (!names.SetEquals(expectedNames))
            return TrialOutcome.Failure($"volumes after the merge: [{string.Join(", ", names)}], expected [{string.Join(", ", expectedNames)}]");
        if (rows.FirstOrDefault(r => r.Attr[4] != 'a') is { } inactive)
            return TrialOutcome.Failure($"{inactive.Name} is not active after the merge: attr {inactive.Attr}");

        if (await CompareAsync(plan.ResultName, model.Origin, "the merged origin") is { } origin) return origin;
        foreach (var (name, view) in model.Snapshots)
            if (await CompareAsync(name, view, $"snapshot {name}, which must not change") is { } snapshot) return snapshot;

        if (plan.Mode == "nameorigin")
        {
            var state = await Api.GetAsync($"vgs/{vg}/lvs/{MergeKillPlan.Merged}/merge");
            if (state.Status != 200 || state.Json<MergeState>() is not { State: "complete", SnapshotRemoved: true })
                return TrialOutcome.Failure($"merge state after completion: {state}");
        }
        if (plan.HasSecondSnapshot)
        {
            // The offline fsck of the surviving snapshot's store against the merged origin (read-only, beside the node).
            string dir = Path.Combine(node.DataDir, "vgs", vg);
            var verify = ChildProcess.Cli("cow", "verify", Path.Combine(dir, $"{MergeKillPlan.Second}.cow"), "--origin", Path.Combine(dir, $"{MergeKillPlan.Origin}.img"));
            if (verify.ExitCode != 0) return TrialOutcome.Failure($"cow verify of s2: exit {verify.ExitCode}: {verify.Stdout.Trim()} {verify.Stderr.Trim()}".ReplaceLineEndings(" "));
        }
        return TrialOutcome.Passed;
    }

    private async Task<TrialOutcome?> CompareAsync(string name, byte[] expected, string what)
    {
        var read = await Api.ReadAsync(vg, name, 0, expected.Length);
        if (read.Status != 200) return TrialOutcome.Failure($"read of {what} ({vg}/{name}): {read}");
        long at = FamilyModel.FirstDifference(expected, read.Body);
        return at < 0 ? null : TrialOutcome.Lost($"{what} ({vg}/{name}) differs from the model at byte {at} of {expected.Length}");
    }

    /// <summary>Frees the trial's disk space: the group's metadata stays (the API removes volumes, not groups).</summary>
    private async Task CleanUpAsync()
    {
        foreach (string name in model.Snapshots.Keys.Append(plan.ResultName))
        {
            var removed = await Api.DeleteAsync($"vgs/{vg}/lvs/{name}");
            if (removed.Status != 204) trial.Log($"clean-up: DELETE {name}: {removed}");
        }
        _ = probeTaken;
    }

    private byte[] Bytes(int length)
    {
        var data = new byte[length];
        random.NextBytes(data);
        return data;
    }
}
