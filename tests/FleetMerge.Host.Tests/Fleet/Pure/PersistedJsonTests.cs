using System.Text.Json;
using System.Text.Json.Serialization;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Protocol;

namespace FleetMerge.Host.Tests.Fleet.Pure;

/// <summary>The ledger's persisted types round-trip through System.Text.Json with the node's options (snake_case, no type names).</summary>
public sealed class PersistedJsonTests
{
    private static readonly JsonSerializerOptions NodeOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static T RoundTrip<T>(T value) where T : IPersisted =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, NodeOptions), NodeOptions)!;

    [Fact]
    public void Events_round_trip()
    {
        Assert.Equal(new StepAccepted("c1/h/1/1", "hook", T0), RoundTrip(new StepAccepted("c1/h/1/1", "hook", T0)));
        Assert.Equal(new StepFinished("k", false, "upgrade hook failed (exit 3): boom", T0), RoundTrip(new StepFinished("k", false, "upgrade hook failed (exit 3): boom", T0)));
        Assert.Equal(new IncarnationStarted(7, T0), RoundTrip(new IncarnationStarted(7, T0)));
        Assert.Equal("""{"key":"k","kind":"hook","at":"2026-11-26T10:00:00+00:00"}""", JsonSerializer.Serialize(new StepAccepted("k", "hook", T0), NodeOptions));
    }

    [Fact]
    public void The_ledger_snapshot_round_trips()
    {
        var ledger = HostStepLedger.Empty()
            .Apply(new IncarnationStarted(2, T0))
            .Apply(new StepAccepted("a", "snapshot", T0)).Apply(new StepFinished("a", true, "taken", T0))
            .Apply(new StepAccepted("b", "await-merge", T0));
        var back = RoundTrip(ledger.ToSnapshot());
        Assert.Equal(ledger.ToSnapshot().Finished, back.Finished);
        Assert.Equal(ledger.ToSnapshot().Open, back.Open);
        Assert.Equal(2, back.Incarnation);
    }
}
