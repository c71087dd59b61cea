using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// Listens to one meter in this process and adds up what its counters and up-down counters
/// record, by instrument name (observable instruments are read on <see cref="Collect"/>).
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> totals = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

    public MeterRecorder(string meterName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    /// <summary>The sum of everything recorded on the instrument since the recorder started (0 when nothing was).</summary>
    public double Total(string instrument) => totals.GetValueOrDefault(instrument);

    /// <summary>Every measurement recorded on the instrument, with its tags as "key=value".</summary>
    public IReadOnlyList<(double Value, IReadOnlyList<string> Tags)> Measurements(string instrument) =>
        [.. measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, (IReadOnlyList<string>)[.. m.Tags.Select(t => $"{t.Key}={t.Value}")]))];

    /// <summary>Reads the observable instruments now.</summary>
    public void Collect() => listener.RecordObservableInstruments();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        measurements.Enqueue((instrument.Name, value, tags.ToArray()));
    }

    public void Dispose() => listener.Dispose();
}
