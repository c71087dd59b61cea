using FleetMerge.Torture.Fleet;

namespace FleetMerge.Torture.Tests.Fleet;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StepOnceCheckTests
{
    private const string Key = "c1/sim-0001/1-snapshot/1";

    private static LedgerEntry Accepted(string key, long seq = 1, string host = "sim-0001") => new(host, seq, LedgerEntry.Accepted, key, null);

    private static LedgerEntry Finished(string key, bool ok, long seq = 2, string host = "sim-0001") => new(host, seq, LedgerEntry.Finished, key, ok);

    private static JournalStep Step(string manifest, string key = Key, long seq = 1) => new("c1", seq, manifest, key, key.Split('/')[1], int.Parse(key.Split('/')[2][..1]));

    private static readonly string[] C1 = ["c1"];

    [Fact]
    public void A_step_started_succeeded_accepted_and_finished_once_is_clean()
    {
        var problems = StepOnceCheck.Problems([Accepted(Key), Finished(Key, ok: true)], [Step(JournalStep.Started), Step(JournalStep.Succeeded, seq: 2)], C1);
        Assert.Empty(problems);
    }

    [Fact]
    public void A_key_accepted_twice_by_its_host_is_a_step_run_twice()
    {
        var problems = StepOnceCheck.Problems([Accepted(Key, 1), Accepted(Key, 3), Finished(Key, true, 4)],
            [Step(JournalStep.Started), Step(JournalStep.Succeeded, seq: 2)], C1);
        Assert.Equal(["host sim-0001 accepted step c1/sim-0001/1-snapshot/1 2 times (ledger seq 1, 3)"], problems);
    }

    [Fact]
    public void A_key_journaled_twice_or_both_succeeded_and_failed_is_reported()
    {
        var problems = StepOnceCheck.Problems([Accepted(Key), Finished(Key, true)],
            [Step(JournalStep.Started), Step(JournalStep.Started, seq: 2), Step(JournalStep.Succeeded, seq: 3), Step(JournalStep.Failed, seq: 4)], C1);
        Assert.Contains("campaign c1's journal records step c1/sim-0001/1-snapshot/1 as started 2 times", problems);
        Assert.Contains("campaign c1's journal records step c1/sim-0001/1-snapshot/1 both succeeded and failed", problems);
    }

    [Fact]
    public void A_success_the_host_never_finished_ok_and_a_run_the_journal_never_started_are_reported()
    {
        const string other = "c1/sim-0001/2-hook/1";
        var problems = StepOnceCheck.Problems([Accepted(Key), Finished(Key, ok: false), Accepted(other, 3)],
            [Step(JournalStep.Started), Step(JournalStep.Succeeded, seq: 2)], C1);
        Assert.Equal(
        [
            "campaign c1 recorded step c1/sim-0001/1-snapshot/1 succeeded, but host sim-0001's ledger has no ok finish of it",
            "host sim-0001 ran step c1/sim-0001/2-hook/1, which its campaign's journal never started",
        ], problems);
    }

    [Fact]
    public void A_step_failed_by_the_campaign_may_still_have_finished_ok_on_its_host_after_the_timeout()
    {
        // The coordinator gave up on a host whose node was down; the host finished the step when it came back.
        var problems = StepOnceCheck.Problems([Accepted(Key), Finished(Key, ok: true)], [Step(JournalStep.Started), Step(JournalStep.Failed, seq: 2)], C1);
        Assert.Empty(problems);
    }

    [Fact]
    public void Keys_in_the_wrong_ledger_and_finishes_without_acceptance_are_reported_other_campaigns_are_ignored()
    {
        var problems = StepOnceCheck.Problems(
            [Accepted(Key, host: "sim-0002"), Finished("c1/sim-0003/0-preflight/1", true, host: "sim-0003"), Accepted("c9/sim-0001/0-preflight/1"), Accepted("c9/sim-0001/0-preflight/1", 5)],
            [Step(JournalStep.Started), Step(JournalStep.Started, "c1/sim-0003/0-preflight/1")], C1);
        Assert.Equal(
        [
            "host sim-0002's ledger holds step c1/sim-0001/1-snapshot/1 of another host",
            "host sim-0003 finished step c1/sim-0003/0-preflight/1 it never accepted",
        ], problems);
    }
}
