namespace FleetMerge.Node.Serialization;

/// <summary>
/// THE list of persisted types (journal events and Akka snapshot states) and their manifests.
/// Adding an event is one line in <see cref="Register"/>:
/// <code>
///   .Add&lt;VolumeCreated&gt;("volume.created.v1")
/// </code>
/// The type must implement FleetMerge.Protocol.IPersistedEvent (or IPersistedSnapshot); the
/// serializer refuses a persisted type that is missing here, and an unknown manifest in the
/// journal is a recovery failure naming the manifest. Manifests are never renamed or reused.
/// </summary>
public static class PersistedManifests
{
    /// <summary>Adds the node's persisted types to <paramref name="builder"/> (tests add their fixtures after).</summary>
    public static ManifestRegistry.Builder Register(ManifestRegistry.Builder builder) => builder
        // Host (volume actors), issue 4:   .Add<VolumeCreated>("volume.created.v1")
        // Fleet (coordinator), issue 5:    .Add<CampaignStarted>("campaign.started.v1")
        ;

    /// <summary>The registry the node runs with.</summary>
    public static ManifestRegistry Registry { get; } = Register(new ManifestRegistry.Builder()).Build();
}
