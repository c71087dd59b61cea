using System.Text;
using Akka.Serialization;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Protocol;
using Xunit.Abstractions;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace FleetMerge.Node.Tests.Serialization;

public enum Speed { Slow, VeryFast }

public sealed record SpeedSet(Speed Speed, int? Limit = null) : IPersistedEvent;

public sealed record NotRegistered(int X) : IPersistedEvent;

/// <summary>The string-manifest JSON serializer as Akka finds it: bound to IPersisted, stable manifests and bytes.</summary>
public sealed class PersistedSerializerSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Setup(AkkaTestConfig.TestJournal()), "serializer-spec", output)
{
    private static readonly ManifestRegistry Registry = PersistedManifests.Register(new ManifestRegistry.Builder())
        .Add<CounterAdded>("test.counter.added.v1")
        .Add<CounterState>("test.counter.state.v1")
        .Add<SpeedSet>("test.speed.set.v1")
        .Build();

    private JsonPersistedSerializer Serializer => new((Akka.Actor.ExtendedActorSystem)Sys, Registry);

    [Fact]
    public void Akka_picks_our_serializer_for_events_and_snapshot_states()
    {
        var serialization = Sys.Serialization;
        Assert.IsType<JsonPersistedSerializer>(serialization.FindSerializerFor(new CounterAdded(1, "x")));
        Assert.IsType<JsonPersistedSerializer>(serialization.FindSerializerFor(new CounterState(1, 1)));
        Assert.Equal(4201, serialization.FindSerializerFor(new CounterAdded(1, "x")).Identifier);
    }

    [Fact]
    public void Manifest_and_bytes_are_stable()
    {
        var added = new CounterAdded(3, "three");
        Assert.Equal("test.counter.added.v1", Serializer.Manifest(added));
        Assert.Equal("""{"amount":3,"note":"three"}""", Encoding.UTF8.GetString(Serializer.ToBinary(added)));
        Assert.Equal("""{"speed":"very_fast","limit":null}""", Encoding.UTF8.GetString(Serializer.ToBinary(new SpeedSet(Speed.VeryFast))));
    }

    [Fact]
    public void Round_trips_through_akka_serialization()
    {
        var serialization = Sys.Serialization;
        foreach (object original in new object[] { new CounterAdded(-5, "ünïcödé \"quoted\""), new CounterState(42, 7) })
        {
            var serializer = serialization.FindSerializerFor(original);
            byte[] bytes = serializer.ToBinary(original);
            string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, original);
            Assert.Equal(original, serialization.Deserialize(bytes, serializer.Identifier, manifest));
        }
    }

    [Fact]
    public void Old_rows_read_with_defaults_for_new_properties_and_ignore_unknown_ones()
    {
        Assert.Equal(new SpeedSet(Speed.Slow), Serializer.FromBinary("""{"speed":"slow"}"""u8.ToArray(), "test.speed.set.v1"));
        Assert.Equal(new SpeedSet(Speed.Slow, 9), Serializer.FromBinary("""{"speed":"slow","limit":9,"added_later":true}"""u8.ToArray(), "test.speed.set.v1"));
    }

    [Fact]
    public void An_unknown_manifest_is_a_clear_error()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary("{}"u8.ToArray(), "volume.teleported.v9"));
        Assert.Contains("unknown manifest 'volume.teleported.v9'", e.Message);
        Assert.Contains("PersistedManifests", e.Message);
    }

    [Fact]
    public void A_persisted_type_without_a_manifest_is_refused()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.ToBinary(new NotRegistered(1)));
        Assert.Contains(typeof(NotRegistered).FullName!, e.Message);
        Assert.Contains("PersistedManifests", e.Message);
    }

    [Fact]
    public void A_corrupt_payload_names_the_manifest()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary("{\"amount\":\"many\"}"u8.ToArray(), "test.counter.added.v1"));
        Assert.Contains("'test.counter.added.v1'", e.Message);
        Assert.Contains("$.amount", e.Message);
    }

    [Fact]
    public void The_registry_refuses_duplicates_and_bad_manifests()
    {
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add<CounterAdded>("a.v1").Add<CounterState>("a.v1"));
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add<CounterAdded>("a.v1").Add<CounterAdded>("b.v1"));
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add<CounterAdded>("CounterAdded"));
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add<CounterAdded>("counter.added"));
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add(typeof(string), "string.v1"));
        Assert.Throws<ArgumentException>(() => new ManifestRegistry.Builder().Add(typeof(IPersistedEvent), "iface.v1"));
    }

    [Fact]
    public void The_nodes_own_registry_builds()
    {
        Assert.NotNull(PersistedManifests.Registry);
        Assert.All(PersistedManifests.Registry.Manifests, m => Assert.True(PersistedManifests.Registry.TryGetType(m, out _)));
    }
}
