using System.Collections.Immutable;

namespace FleetMerge.Host.Fleet.Ledger;

/// <summary>
/// What the host step ledger knows (pure, event → state): the incarnation of the host agent,
/// the steps accepted and not finished, and the last <see cref="Keep"/> finished steps by key.
/// Older results are forgotten: a campaign resends a step only while it waits for its answer,
/// long before two thousand later steps have ended on the same host.
/// </summary>
public sealed record HostStepLedger
{
    public const int DefaultKeep = 2000;

    private HostStepLedger(long incarnation, ImmutableDictionary<string, OpenStep> open,
        ImmutableDictionary<string, FinishedStep> finished, ImmutableQueue<string> order, int keep)
    {
        Incarnation = incarnation;
        Open = open;
        this.finished = finished;
        this.order = order;
        Keep = keep;
    }

    private readonly ImmutableDictionary<string, FinishedStep> finished;

    // Finish order, oldest first: the keys to forget when more than Keep are kept.
    private readonly ImmutableQueue<string> order;

    public static HostStepLedger Empty(int keep = DefaultKeep) =>
        new(0, ImmutableDictionary<string, OpenStep>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableDictionary<string, FinishedStep>.Empty.WithComparers(StringComparer.Ordinal), ImmutableQueue<string>.Empty,
            keep > 0 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, "the ledger keeps at least one finished step"));

    /// <summary>The latest incarnation of the host agent (0 before the first start).</summary>
    public long Incarnation { get; }

    /// <summary>Accepted and not finished: running now, or cut short by a restart.</summary>
    public ImmutableDictionary<string, OpenStep> Open { get; }

    /// <summary>How many finished steps are remembered.</summary>
    public int Keep { get; }

    public int FinishedCount => finished.Count;

    public FinishedStep? FinishedOf(string key) => finished.GetValueOrDefault(key);

    /// <summary>The finished steps, oldest first.</summary>
    public IEnumerable<FinishedStep> Finished => order.Select(k => finished[k]);

    public HostStepLedger Apply(IHostStepEvent e) => e switch
    {
        StepAccepted a => new(Incarnation, Open.SetItem(a.Key, new OpenStep(a.Key, a.Kind, a.At)), finished, order, Keep),
        StepFinished f => Finish(f),
        IncarnationStarted i => new(Math.Max(Incarnation, i.Incarnation), Open, finished, order, Keep),
        _ => throw new ArgumentException($"host step ledger: unknown event {e.GetType().Name}", nameof(e)),
    };

    private HostStepLedger Finish(StepFinished f)
    {
        string kind = Open.TryGetValue(f.Key, out var open) ? open.Kind : finished.GetValueOrDefault(f.Key)?.Kind ?? "unknown";
        var record = new FinishedStep(f.Key, kind, f.Ok, f.Detail, f.At);
        var nextOrder = finished.ContainsKey(f.Key) ? order : order.Enqueue(f.Key);
        var nextFinished = finished.SetItem(f.Key, record);
        while (nextFinished.Count > Keep)
        {
            nextOrder = nextOrder.Dequeue(out string oldest);
            nextFinished = nextFinished.Remove(oldest);
        }
        return new(Incarnation, Open.Remove(f.Key), nextFinished, nextOrder, Keep);
    }

    public HostStepLedgerSnapshot ToSnapshot() =>
        new(Incarnation, [.. Open.Values.OrderBy(o => o.At).ThenBy(o => o.Key, StringComparer.Ordinal)], [.. Finished]);

    public static HostStepLedger FromSnapshot(HostStepLedgerSnapshot snapshot, int keep = DefaultKeep)
    {
        var ledger = Empty(keep);
        var open = ledger.Open.SetItems(snapshot.Open.Select(o => KeyValuePair.Create(o.Key, o)));
        var finished = ledger.finished;
        var order = ImmutableQueue<string>.Empty;
        foreach (var step in snapshot.Finished.TakeLast(keep))
        {
            if (!finished.ContainsKey(step.Key)) order = order.Enqueue(step.Key);
            finished = finished.SetItem(step.Key, step);
        }
        return new(snapshot.Incarnation, open, finished, order, keep);
    }
}
