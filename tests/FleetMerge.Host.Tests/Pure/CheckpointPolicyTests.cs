namespace FleetMerge.Host.Tests.Pure;

public sealed class CheckpointPolicyTests
{
    private static readonly DateTimeOffset T0 = VolumeStateMachineTests.T0;
    private static readonly CheckpointPolicy Policy = CheckpointPolicy.Default;

    [Fact]
    public void The_first_report_is_a_checkpoint() => Assert.True(Policy.IsDue(null, 0.1, 999, T0));

    [Theory]
    [InlineData(40.0, 40.9, 0.5, false)]   // < 1 point, < 5 s
    [InlineData(40.0, 41.0, 0.5, true)]    // 1 point
    [InlineData(40.0, 40.2, 5.0, true)]    // moved a little, 5 s later
    [InlineData(40.0, 40.2, 4.9, false)]
    public void One_percent_or_a_few_seconds(double last, double now, double seconds, bool due) =>
        Assert.Equal(due, Policy.IsDue(new Checkpoint(last, 600, T0), now, 590, T0.AddSeconds(seconds)));

    [Fact]
    public void No_checkpoint_without_progress_however_long()
    {
        Assert.False(Policy.IsDue(new Checkpoint(40, 600, T0), 40, 600, T0.AddMinutes(10)));
    }

    [Fact]
    public void A_merge_of_one_chunk_per_report_writes_at_most_about_a_hundred_checkpoints()
    {
        // 100 000 exceptions reported one by one, 1 ms apart (100 s in total): one event per 1 %
        // plus, at most, one per 5 s, never one per chunk.
        const long total = 100_000;
        Checkpoint? last = null;
        int written = 0;
        for (long remaining = total; remaining >= 0; remaining--)
        {
            double percent = 100.0 * (total - remaining) / total;
            var now = T0.AddMilliseconds(total - remaining);
            if (!Policy.IsDue(last, percent, remaining, now)) continue;
            last = new Checkpoint(percent, remaining, now);
            written++;
        }
        Assert.InRange(written, 100, 101 + 20);
    }
}
