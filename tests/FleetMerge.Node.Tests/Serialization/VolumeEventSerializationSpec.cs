using System.Text;
using FleetMerge.Node.Serialization;
using FleetMerge.Node.Tests.Fixtures;
using FleetMerge.Protocol;
using FleetMerge.Protocol.Volumes;
using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Serialization;

/// <summary>The volume actor's events and snapshot state through the node's serializer: every type has a manifest, every sample round-trips.</summary>
public sealed class VolumeEventSerializationSpec(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Setup(AkkaTestConfig.TestJournal()), "volume-serialization", output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(1));

    public static IEnumerable<object[]> Samples() => new IPersisted[]
    {
        new VolumeCreated("vg0", "VG-UUID", "root", "ROOT-UUID", 0, 1 << 20, VolumeOrigins.Created),
        new SnapshotTaken("s1", "S1", 1, 2 << 20, 4096, Adopted: false),
        new SnapshotRemoved("s1", "S1", "removed"),
        new VolumeRemoved("root", "ROOT-UUID", "removed"),
        new VolumeRenamed("S1", "s1", "s2"),
        new ActivationChanged(true, "activation"),
        new MergeRequested("S1", "s1", "onactivate", Adopted: true),
        new MergeMarkedOnActivate("S1", "s1", "onactivate", "onactivate"),
        new MergeStarted("S1", "s1", "nameorigin", 256, 256, "2072/4096 24", Resumed: false, At),
        new MergeProgressed("S1", 256, 100, "800/4096 24", At),
        new MergeCompleted("S1", "s1", 256, "root", "ROOT-UUID", 0, FoundOnDisk: true, At),
        new MergeFailed("S1", "I/O error", At),
        new MergeStopped("S1", "stopped by a deactivation", At),
        new MergeCancelled("S1", "no merge mark on disk"),
        new VolumeState("vg0", "VG-UUID", "root", "ROOT-UUID", 0, 1 << 20, true, false,
            [new SnapshotEntry("s1", "S1", 1, 2 << 20, 4096)],
            [new MergeEntry("S1", "s1", "root", "nameorigin", MergePhase.Running, 256, 100, "800/4096 24", false, null, At)]),
    }.Select(e => new object[] { e });

    [Fact]
    public void Every_persisted_protocol_type_has_a_manifest()
    {
        var types = typeof(IPersisted).Assembly.GetTypes().Where(t => typeof(IPersisted).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface).ToList();
        Assert.NotEmpty(types);
        foreach (var type in types)
            Assert.True(PersistedManifests.Registry.TryGetManifest(type, out _), $"{type.Name} has no manifest in PersistedManifests");
        Assert.Equal(types.Count, Samples().Count());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_with_a_v1_manifest(IPersisted original)
    {
        var serializer = Sys.Serialization.FindSerializerFor(original);
        Assert.IsType<JsonPersistedSerializer>(serializer);
        string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, original);
        Assert.Matches(@"^volume\.[a-z-]+\.v1$", manifest);
        byte[] bytes = serializer.ToBinary(original);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        Assert.Equal(original.GetType(), back.GetType());
        // Records with lists compare by reference: compare what they serialize to instead.
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(serializer.ToBinary(back)));
        if (original is not VolumeState) Assert.Equal(original, back);
    }

    [Fact]
    public void The_journal_row_of_a_merge_checkpoint_is_plain_snake_case_json()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new MergeProgressed("S1", 256, 100, "s", At));
        Assert.Equal("""{"snapshot_uuid":"S1","initial_exceptions":256,"remaining_exceptions":100,"status":"s","at":"2026-11-25T12:00:00+01:00"}""",
            Encoding.UTF8.GetString(serializer.ToBinary(new MergeProgressed("S1", 256, 100, "s", At))));
    }
}
