namespace FleetMerge.Torture.Node;

/// <summary>When the node is killed relative to the merge.</summary>
public enum KillPoint
{
    /// <summary>While the merge request is in flight: it may or may not have been acknowledged.</summary>
    WithRequest,

    /// <summary>A random instant after the request was accepted: usually during the copy.</summary>
    DuringCopy,

    /// <summary>After the merge was seen complete.</summary>
    AfterComplete,
}

/// <summary>One write of the trial: to the origin or to a snapshot, at a byte offset.</summary>
public sealed record PlannedWrite(string Target, long Offset, int Length);

/// <summary>One step after the first snapshot: a write, or taking the second snapshot.</summary>
public sealed record PlannedStep(PlannedWrite? Write, bool TakeSecondSnapshot);

/// <summary>
/// What one node-merge-kill trial does, drawn from its seeded Random before anything runs (so a
/// seed replays it): the origin's size, the merged snapshot's chunk size, the writes around the
/// snapshots, the merge mode, the node's copy rate, where the kill falls and whether a second kill
/// follows the restart.
/// </summary>
public sealed record MergeKillPlan(
    long OriginBytes,
    int ChunkBytes,
    IReadOnlyList<PlannedStep> Steps,
    string Mode,
    string? MaxRate,
    KillPoint Kill,
    int KillDelayMs,
    bool KillAgain,
    int SecondKillDelayMs,
    IReadOnlyList<PlannedWrite> WritesDuringMerge)
{
    public const string Origin = "root";
    public const string Merged = "s1";
    public const string Second = "s2";
    public const string SlowRate = "8M";

    public bool HasSecondSnapshot => Steps.Any(s => s.TakeSecondSnapshot);

    /// <summary>The name the merged volume has afterwards: the origin's, or the snapshot's under namesnapshot.</summary>
    public string ResultName => Mode == "namesnapshot" ? Merged : Origin;

    /// <summary>The name that serves the merging data while the merge runs.</summary>
    public string MergingViewName => Mode == "namesnapshot" ? Merged : Origin;

    /// <summary>A COW that holds every chunk of the origin with room for its metadata: it never fills.</summary>
    public long CowBytes => RoundUp(OriginBytes + OriginBytes / 8 + 4L * ChunkBytes, 512);

    public static MergeKillPlan Draw(Random random)
    {
        long size = RoundUp(random.NextInt64(4L << 20, (32L << 20) + 1), 512);
        int chunk = 4096 << random.Next(0, 8); // 4K .. 512K
        bool second = random.Next(3) == 0;
        // namesnapshot needs exactly one snapshot (the rule is checked in the trial when both meet).
        string mode = !second && random.Next(2) == 0 ? "namesnapshot" : "nameorigin";
        var steps = new List<PlannedStep>();
        int count = random.Next(1, 13);
        int secondAt = second ? random.Next(0, count) : -1;
        for (int i = 0; i < count; i++)
        {
            if (i == secondAt) steps.Add(new PlannedStep(null, true));
            bool secondTaken = secondAt >= 0 && i >= secondAt;
            string target = random.Next(10) switch
            {
                < 6 => Origin,
                < 8 => Merged,
                _ => secondTaken ? Second : Origin,
            };
            steps.Add(new PlannedStep(DrawWrite(random, target, size), false));
        }
        string? rate = random.Next(5) < 2 ? SlowRate : null;
        var kill = random.Next(10) switch
        {
            < 2 => KillPoint.WithRequest,
            < 8 => KillPoint.DuringCopy,
            _ => KillPoint.AfterComplete,
        };
        int delay = kill switch
        {
            KillPoint.WithRequest => random.Next(0, 40),
            KillPoint.DuringCopy => random.Next(0, rate is null ? 400 : 3000),
            _ => 0,
        };
        bool again = kill != KillPoint.AfterComplete && random.Next(3) == 0;
        int secondDelay = random.Next(0, rate is null ? 300 : 2000);
        var during = new List<PlannedWrite>();
        if (kill == KillPoint.DuringCopy && random.Next(3) == 0)
            for (int i = random.Next(1, 3); i > 0; i--)
                during.Add(DrawWrite(random, mode == "namesnapshot" ? Merged : Origin, size) with { Length = random.Next(1, 64 << 10) });
        return new MergeKillPlan(size, chunk, steps, mode, rate, kill, delay, again, secondDelay, during);
    }

    private static PlannedWrite DrawWrite(Random random, string target, long size)
    {
        int length = random.Next(3) switch
        {
            0 => random.Next(1, 4097),               // small, usually unaligned
            1 => 4096 * random.Next(1, 65),          // whole 4K blocks
            _ => random.Next(1, (2 << 20) + 1),      // up to 2 MiB
        };
        length = (int)Math.Min(length, size);
        long offset = random.Next(2) == 0 ? random.NextInt64(0, size - length + 1) : random.NextInt64(0, (size - length) / 4096 + 1) * 4096;
        return new PlannedWrite(target, offset, length);
    }

    public static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;

    public override string ToString() =>
        $"origin {OriginBytes} bytes, chunk {ChunkBytes}, {Steps.Count} steps{(HasSecondSnapshot ? " with s2" : "")}, mode {Mode}, " +
        $"rate {MaxRate ?? "unlimited"}, kill {Kill} after {KillDelayMs} ms{(KillAgain ? $", again after {SecondKillDelayMs} ms" : "")}, " +
        $"{WritesDuringMerge.Count} writes during the merge";
}
