namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// The model of one view (the origin, or one snapshot) computed without the engine: its contents at the
/// start, and for every 512-byte sector some step wrote, each content it took, oldest first, with the step
/// that wrote it; plus the steps that flushed the device behind the view. Sectors are the unit because a
/// power loss with a volatile cache keeps any subset of the unflushed writes and a torn write keeps whole
/// sectors: after a crash every sector holds one of its versions, but a chunk need not hold one of its own.
/// </summary>
public sealed class SectorHistory
{
    public const int Sector = 512;

    private readonly byte[] initial;
    private readonly Dictionary<int, List<(int Step, byte[] Content)>> written = [];
    private readonly List<int> flushSteps = [];

    public SectorHistory(byte[] initial)
    {
        this.initial = initial;
        Final = (byte[])initial.Clone();
    }

    /// <summary>The view after every step (what a run without a crash must leave).</summary>
    public byte[] Final { get; }

    public int Length => initial.Length;

    public void Write(int step, long offset, byte[] data)
    {
        if (offset % Sector != 0 || data.Length % Sector != 0)
            throw new ArgumentException($"step {step}: the model takes whole sectors (write of {data.Length} bytes at {offset})");
        data.CopyTo(Final, offset);
        for (int i = 0; i < data.Length / Sector; i++)
        {
            int s = (int)(offset / Sector) + i;
            if (!written.TryGetValue(s, out var h))
                written[s] = h = [(-1, initial.AsSpan(s * Sector, Sector).ToArray())];
            h.Add((step, data.AsSpan(i * Sector, Sector).ToArray()));
        }
    }

    public void Flush(int step) => flushSteps.Add(step);

    /// <summary>The last flush step before <paramref name="step"/> (a flush that completed), or -1.</summary>
    public int LastFlushBefore(int step)
    {
        int last = -1;
        foreach (int f in flushSteps) if (f < step) last = f;
        return last;
    }

    /// <summary>
    /// Checks a view found after a crash: every sector holds a version at least as new as the newest one
    /// a completed flush covered (written before step <paramref name="durableBefore"/>), and no newer
    /// than the newest one a started step wrote (step ≤ <paramref name="lastStarted"/>). Null when it holds.
    /// </summary>
    public string? Check(ReadOnlySpan<byte> actual, int lastStarted, int durableBefore)
    {
        if (actual.Length != initial.Length) return $"{actual.Length} bytes, the model has {initial.Length}";
        int bad = 0;
        string? first = null;
        for (int s = 0; s < initial.Length / Sector; s++)
        {
            var got = actual.Slice(s * Sector, Sector);
            if (!written.TryGetValue(s, out var h))
            {
                if (got.SequenceEqual(initial.AsSpan(s * Sector, Sector))) continue;
                bad++;
                first ??= $"sector {s} (byte {s * Sector}) differs from the start and no step wrote it";
                continue;
            }
            int min = 0, max = 0;
            for (int v = 0; v < h.Count; v++)
            {
                if (h[v].Step < durableBefore) min = v;
                if (h[v].Step <= lastStarted) max = v;
            }
            bool ok = false;
            for (int v = min; v <= max && !ok; v++) ok = got.SequenceEqual(h[v].Content);
            if (ok) continue;
            bad++;
            int found = -1;
            for (int v = 0; v < h.Count; v++) if (got.SequenceEqual(h[v].Content)) found = v;
            first ??= $"sector {s} (byte {s * Sector}) holds {(found < 0 ? "none of its versions" : $"version {found} (step {h[found].Step})")}; " +
                      $"allowed versions {min}..{max} (steps {h[min].Step}..{h[max].Step})";
        }
        return bad == 0 ? null : $"{bad} sector(s) wrong; first: {first}";
    }
}
