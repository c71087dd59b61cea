using System.Text.Json;
using FleetMerge.Fleet.Policies;
using FleetMerge.Protocol;

namespace FleetMerge.Fleet.Tests.Policies;

/// <summary>The node stores persisted types as System.Text.Json under a manifest: each must read back as written.</summary>
public sealed class PolicyEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 1, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<IPersisted> Persisted => new()
    {
        new PolicyAdded(PolicySpecs.Daily, T0),
        new PolicyAdded(PolicySpecs.Daily with { MaxAge = null }, T0),
        new PolicyRemoved("nightly", T0),
        new PolicyRunStarted("nightly", T0, "c7", true, T0.AddMinutes(3)),
        new PolicyRunPruned("nightly", "c7", 4, "completed", T0.AddHours(1)),
        new PolicyRunPruned("nightly", "c8", 0, null, T0.AddHours(1)),
        new PolicyBookSnapshot([new PolicyEntry(PolicySpecs.Daily, T0, [
            new PolicyRunRecord(T0, T0.AddSeconds(5), "c7", false, 2, "completed"),
            new PolicyRunRecord(T0.AddDays(1), T0.AddDays(1), "c8", true, null, null)])]),
    };

    [Theory]
    [MemberData(nameof(Persisted))]
    public void Reads_back_as_written(IPersisted value)
    {
        string json = JsonSerializer.Serialize(value, value.GetType());
        object back = JsonSerializer.Deserialize(json, value.GetType())!;
        Assert.Equal(json, JsonSerializer.Serialize(back, value.GetType()));
    }

    [Fact]
    public void A_book_rebuilt_from_its_snapshot_is_the_same_book()
    {
        var book = PolicyBook.Empty
            .Apply(new PolicyAdded(PolicySpecs.Daily, T0))
            .Apply(new PolicyRunStarted("nightly", T0, "c1", false, T0))
            .Apply(new PolicyRunPruned("nightly", "c1", 3, "completed", T0));
        string json = JsonSerializer.Serialize(book.ToSnapshot());
        var back = PolicyBook.From(JsonSerializer.Deserialize<PolicyBookSnapshot>(json)!);
        Assert.Equal(json, JsonSerializer.Serialize(back.ToSnapshot()));
        Assert.Equal(3, back.Find("nightly")!.Runs.Single().Pruned);
    }
}
