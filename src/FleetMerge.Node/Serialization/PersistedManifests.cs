using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Policies;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Protocol.Volumes;

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
        // Host: the volume actor's journal (FleetMerge.Protocol.Volumes.IVolumeEvent) and its Akka snapshot state.
        .Add<VolumeCreated>("volume.created.v1")
        .Add<SnapshotTaken>("volume.snapshot-taken.v1")
        .Add<SnapshotRemoved>("volume.snapshot-removed.v1")
        .Add<VolumeRemoved>("volume.removed.v1")
        .Add<VolumeRenamed>("volume.renamed.v1")
        .Add<ActivationChanged>("volume.activation-changed.v1")
        .Add<MergeRequested>("volume.merge-requested.v1")
        .Add<MergeMarkedOnActivate>("volume.merge-marked-on-activate.v1")
        .Add<MergeStarted>("volume.merge-started.v1")
        .Add<MergeProgressed>("volume.merge-progressed.v1")
        .Add<MergeCompleted>("volume.merge-completed.v1")
        .Add<MergeFailed>("volume.merge-failed.v1")
        .Add<MergeStopped>("volume.merge-stopped.v1")
        .Add<MergeCancelled>("volume.merge-cancelled.v1")
        .Add<VolumeState>("volume.state.v1")
        // Host: the fleet host's step ledger ("host-steps-<host id>"): idempotency keys of campaign steps.
        .Add<StepAccepted>("host-step.accepted.v1")
        .Add<StepFinished>("host-step.finished.v1")
        .Add<IncarnationStarted>("host-step.incarnation-started.v1")
        .Add<HostStepLedgerSnapshot>("host-step.ledger.v1")
        // Fleet: scheduled snapshot policies ("policies").
        .Add<PolicyAdded>("policy.added.v1")
        .Add<PolicyRemoved>("policy.removed.v1")
        .Add<PolicyRunStarted>("policy.run-started.v1")
        .Add<PolicyRunPruned>("policy.run-pruned.v1")
        .Add<PolicyBookSnapshot>("policy.book.v1")
        // Fleet: campaigns ("campaign-<id>") and their index ("campaigns"), listed where they are declared.
        .AddAll(CampaignManifests.All);

    /// <summary>The registry the node runs with.</summary>
    public static ManifestRegistry Registry { get; } = Register(new ManifestRegistry.Builder()).Build();
}
