using FleetMerge.Protocol.Host;

namespace FleetMerge.Torture.Api;

/// <summary>
/// Conflicting requests sent at once from parallel clients: two merges of one snapshot or of one
/// origin (exactly one 202, the other 409), two snapshots of one name (one 201, one 409), a snapshot
/// racing a merge (either order, never both in an illegal state), the delete of a merging snapshot
/// (409). The accepted ones go into the model; merges are awaited to their end.
/// </summary>
public static class RaceAbuse
{
    public static AbuseCase Case { get; } = new("racing-requests", RunAsync);

    private const int Mib = 1 << 20;

    private static async Task<string?> RunAsync(AbuseContext c) => c.Random.Next(5) switch
    {
        0 => await TwoMergesOfOneSnapshotAsync(c),
        1 => await TwoMergesOfOneOriginAsync(c),
        2 => await TwoSnapshotsOfOneNameAsync(c),
        3 => await SnapshotRacingMergeAsync(c),
        _ => await DeleteWhileMergingAsync(c),
    };

    private static async Task<string?> TwoMergesOfOneSnapshotAsync(AbuseContext c)
    {
        var (origin, snapshots) = await FamilyAsync(c, Mib, 1);
        string mode = c.Pick(["nameorigin", "namesnapshot"]);
        var answers = await Task.WhenAll(MergeAsync(c, snapshots[0], mode), MergeAsync(c, snapshots[0], mode));
        return await ExactlyOneAsync(c, answers, 202, $"two merges of {snapshots[0]} at once", [(snapshots[0], mode), (snapshots[0], mode)]);
    }

    private static async Task<string?> TwoMergesOfOneOriginAsync(AbuseContext c)
    {
        var (origin, snapshots) = await FamilyAsync(c, Mib, 2);
        var answers = await Task.WhenAll(MergeAsync(c, snapshots[0], "nameorigin"), MergeAsync(c, snapshots[1], "nameorigin"));
        return await ExactlyOneAsync(c, answers, 202, $"merges of {snapshots[0]} and {snapshots[1]} into {origin} at once",
            [(snapshots[0], "nameorigin"), (snapshots[1], "nameorigin")]);
    }

    private static async Task<string?> TwoSnapshotsOfOneNameAsync(AbuseContext c)
    {
        var (origin, _) = await FamilyAsync(c, Mib, 0);
        string name = c.Fresh("twin");
        var answers = await Task.WhenAll(SnapshotAsync(c, origin, name), SnapshotAsync(c, origin, name));
        if (answers.Count(a => a.Status == 201) != 1 || answers.Count(a => a.Status == 409) != 1)
            return $"two snapshots named {name} at once: expected one 201 and one 409, got {answers[0]} and {answers[1]}";
        if (AnswerCheck.Refusal(answers.First(a => a.Status == 409), "the second snapshot", 409) is { } wrong) return wrong;
        c.Model.AddVolume(c.Vg, name, origin);
        return null;
    }

    private static async Task<string?> SnapshotRacingMergeAsync(AbuseContext c)
    {
        var (origin, snapshots) = await FamilyAsync(c, Mib, 1);
        string mode = c.Pick(["nameorigin", "namesnapshot"]), name = c.Fresh("late");
        var merge = MergeAsync(c, snapshots[0], mode);
        var snapshot = SnapshotAsync(c, origin, name);
        var (merged, snapped) = (await merge, await snapshot);
        c.Log($"snapshot {name} racing the merge of {snapshots[0]} ({mode}): merge {merged} | snapshot {snapped}");
        // A namesnapshot merge that is already over took the origin's name with it: the snapshot finds no origin (404).
        bool originGone = mode == "namesnapshot" && merged.Status == 202 && snapped.Status == 404;
        if (merged.Status is not (202 or 409) || (snapped.Status is not (201 or 409) && !originGone))
            return $"snapshot {name} racing the merge of {snapshots[0]} ({mode}): merge {merged}, snapshot {snapped}";
        if (merged.Status == 409 && snapped.Status == 409)
            return $"snapshot {name} racing the merge of {snapshots[0]} ({mode}): both refused ({merged.Error}; {snapped.Error})";
        // namesnapshot needs the only snapshot: the two exclude each other. nameorigin: a snapshot taken first does not stop the merge.
        if (mode == "namesnapshot" && merged.Status == 202 && snapped.Status == 201)
            return $"snapshot {name} and a namesnapshot merge of {snapshots[0]} were both accepted";
        if (mode == "nameorigin" && merged.Status == 409)
            return $"the nameorigin merge of {snapshots[0]} was refused although a snapshot taken first does not stop it: {merged}";
        foreach (var refused in new[] { merged, snapped }.Where(a => a.Status is 409 or 404))
            if (AnswerCheck.Refusal(refused, "the refused one of the race", refused.Status) is { } wrong) return wrong;
        if (snapped.Status == 201) c.Model.AddVolume(c.Vg, name, origin);
        return merged.Status == 202 ? await AwaitMergeAsync(c, snapshots[0], mode) : null;
    }

    private static async Task<string?> DeleteWhileMergingAsync(AbuseContext c)
    {
        var (_, snapshots) = await FamilyAsync(c, 4 * Mib, 1);
        var merge = await MergeAsync(c, snapshots[0], "nameorigin");
        if (merge.Status != 202) return $"merge of {snapshots[0]}: expected 202, got {merge}";
        var delete = await c.Api.DeleteAsync($"vgs/{c.Vg}/lvs/{snapshots[0]}");
        c.Log($"DELETE of the merging {snapshots[0]}: {delete}");
        if (delete.Status == 404)
        {
            // Legal only if the merge already ended and took the snapshot with it.
            var state = await c.Api.GetAsync($"vgs/{c.Vg}/lvs/{snapshots[0]}/merge");
            if (state.Status != 200 || state.Json<MergeState>().State != "complete")
                return $"DELETE of the merging {snapshots[0]}: 404 while the merge is {state}";
        }
        else if (AnswerCheck.Refusal(delete, $"DELETE of the merging {snapshots[0]}", 409) is { } wrong)
        {
            return wrong;
        }
        return await AwaitMergeAsync(c, snapshots[0], "nameorigin");
    }

    /// <summary>An origin full of data, <paramref name="snapshots"/> snapshots, then the origin rewritten: every chunk an exception, so the merge takes a while.</summary>
    private static async Task<(string Origin, string[] Snapshots)> FamilyAsync(AbuseContext c, int bytes, int snapshots)
    {
        string origin = c.Fresh("r");
        Expect(await c.Api.PostAsync($"vgs/{c.Vg}/lvs", new { name = origin, size_bytes = bytes }), 201, $"create {origin}");
        c.Model.AddVolume(c.Vg, origin);
        var data = new byte[bytes];
        c.Random.NextBytes(data);
        Expect(await c.Api.PutBytesAsync($"vgs/{c.Vg}/lvs/{origin}/data", data), 200, $"write {origin}");
        var names = new string[snapshots];
        for (int i = 0; i < snapshots; i++)
        {
            names[i] = c.Fresh("s");
            Expect(await SnapshotAsync(c, origin, names[i]), 201, $"snapshot {names[i]}");
            c.Model.AddVolume(c.Vg, names[i], origin);
        }
        if (snapshots > 0)
        {
            c.Random.NextBytes(data);
            Expect(await c.Api.PutBytesAsync($"vgs/{c.Vg}/lvs/{origin}/data", data), 200, $"rewrite {origin}");
        }
        return (origin, names);
    }

    private static Task<ApiAnswer> MergeAsync(AbuseContext c, string snapshot, string mode) =>
        c.Api.PostAsync($"vgs/{c.Vg}/lvs/{snapshot}/merge", new { mode });

    private static Task<ApiAnswer> SnapshotAsync(AbuseContext c, string origin, string name) =>
        c.Api.PostAsync($"vgs/{c.Vg}/lvs/{origin}/snapshots", new { name, size_bytes = 8 * Mib });

    /// <summary>Exactly one of the answers has <paramref name="status"/>, the rest are one-line 409s; the accepted merge is awaited.</summary>
    private static async Task<string?> ExactlyOneAsync(AbuseContext c, ApiAnswer[] answers, int status, string what, (string Snapshot, string Mode)[] merges)
    {
        c.Log($"{what}: {string.Join(" | ", answers.Select(a => a.ToString()))}");
        int accepted = Array.FindIndex(answers, a => a.Status == status);
        if (answers.Count(a => a.Status == status) != 1 || answers.Count(a => a.Status == 409) != answers.Length - 1)
            return $"{what}: expected one {status} and the rest 409, got {string.Join(" and ", answers.Select(a => a.ToString()))}";
        foreach (var refused in answers.Where(a => a.Status == 409))
            if (AnswerCheck.Refusal(refused, $"{what}: the refused one", 409) is { } wrong) return wrong;
        return await AwaitMergeAsync(c, merges[accepted].Snapshot, merges[accepted].Mode);
    }

    /// <summary>Polls the merge to its end (it must complete: nothing here makes it fail) and applies it to the model.</summary>
    private static async Task<string?> AwaitMergeAsync(AbuseContext c, string snapshot, string mode)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var answer = await c.Api.GetAsync($"vgs/{c.Vg}/lvs/{snapshot}/merge");
            if (answer.Status != 200) return $"merge state of {snapshot}: {answer}";
            var state = answer.Json<MergeState>();
            if (state.State == "complete") break;
            if (state.State is "failed" or "stopped") return $"merge of {snapshot} ended {state.State}: {state.Error}";
            if (DateTime.UtcNow > deadline) return $"merge of {snapshot} still {state.State} at {state.Percent}% after 2 minutes";
            await Task.Delay(100);
        }
        c.Model.Merged(c.Vg, snapshot, mode);
        return null;
    }

    private static void Expect(ApiAnswer answer, int status, string what)
    {
        if (answer.Status != status) throw new InvalidOperationException($"{what}: expected {status}, got {answer}");
    }
}
