using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>Listens to one meter in this process and adds up what its counters and up-down counters record, by instrument name.</summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> totals = new(StringComparer.Ordinal);

    public MeterRecorder(string meterName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i, v));
        listener.Start();
    }

    /// <summary>The sum of everything recorded on the instrument since the recorder started (0 when nothing was).</summary>
    public double Total(string instrument) => totals.GetValueOrDefault(instrument);

    private void Record(Instrument instrument, long value) => totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);

    public void Dispose() => listener.Dispose();
}
