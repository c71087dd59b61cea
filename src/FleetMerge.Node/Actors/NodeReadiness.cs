using Akka.Actor;
using Akka.Cluster;
using Akka.Persistence;
using FleetMerge.Node.Startup;

namespace FleetMerge.Node.Actors;

/// <summary>
/// What "ready" means: this node is Up in the cluster, and the journal and snapshot store have
/// answered a read (which also means their schema exists: Akka.Persistence.Sql creates it when
/// the plugin starts, and this read is what starts it). With --fleet-postgres the fleet journal's
/// plugins (fleet-sql) answer the same read, so their schema exists before the ready line too.
/// </summary>
public static class NodeReadiness
{
    public const string ProbePersistenceId = "fleetmerge-node/startup-probe";

    public static async Task WaitAsync(ActorSystem system, TimeSpan timeout, CancellationToken ct)
    {
        await WaitForMemberUpAsync(system, timeout, ct);
        await ProbeJournalAsync(system, null, "journal", timeout);
        await ProbeSnapshotStoreAsync(system, null, "snapshot store", timeout);
        if (system.Settings.Config.HasPath(Settings.NodeSettings.FleetJournalPath + ".class"))
        {
            await ProbeJournalAsync(system, Settings.NodeSettings.FleetJournalPath, "fleet journal", timeout);
            await ProbeSnapshotStoreAsync(system, Settings.NodeSettings.FleetSnapshotPath, "fleet snapshot store", timeout);
        }
    }

    public static async Task WaitForMemberUpAsync(ActorSystem system, TimeSpan timeout, CancellationToken ct)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        try { await up.Task.WaitAsync(timeout, ct); }
        catch (TimeoutException)
        {
            var cluster = Cluster.Get(system);
            throw new NodeStartupException($"the node did not become Up in the cluster within {timeout.TotalSeconds:0} s (status {cluster.SelfMember.Status}, seed nodes {string.Join(", ", system.Settings.Config.GetStringList("akka.cluster.seed-nodes", []))})");
        }
    }

    /// <summary>The host role is ready when its agent has loaded and activated the volume groups (their actors recover on their own).</summary>
    public static async Task WaitForVolumeGroupsAsync(FleetMerge.Host.HostCatalog catalog, TimeSpan timeout, CancellationToken ct)
    {
        try { await catalog.Loaded.WaitAsync(timeout, ct); }
        catch (TimeoutException) { throw new NodeStartupException($"the host agent did not load the volume groups in {catalog.Root} within {timeout.TotalSeconds:0} s"); }
    }

    private static async Task ProbeJournalAsync(ActorSystem system, string? pluginId, string what, TimeSpan timeout)
    {
        var journal = global::Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(pluginId);
        var inbox = Inbox.Create(system);
        journal.Tell(new ReplayMessages(1, long.MaxValue, 0, ProbePersistenceId, inbox.Receiver), inbox.Receiver);
        object reply = await ReceiveAsync(inbox, timeout, what);
        switch (reply)
        {
            case RecoverySuccess:
                return;
            case ReplayMessagesFailure failure:
                throw new NodeStartupException($"the {what} does not work: {failure.Cause.Message}", failure.Cause);
            default:
                throw new NodeStartupException($"the {what} answered the start-up probe with {reply.GetType().Name}");
        }
    }

    private static async Task ProbeSnapshotStoreAsync(ActorSystem system, string? pluginId, string what, TimeSpan timeout)
    {
        var store = global::Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(pluginId);
        var inbox = Inbox.Create(system);
        store.Tell(new LoadSnapshot(ProbePersistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), inbox.Receiver);
        object reply = await ReceiveAsync(inbox, timeout, what);
        switch (reply)
        {
            case LoadSnapshotResult:
                return;
            case LoadSnapshotFailed failure:
                throw new NodeStartupException($"the {what} does not work: {failure.Cause.Message}", failure.Cause);
            default:
                throw new NodeStartupException($"the {what} answered the start-up probe with {reply.GetType().Name}");
        }
    }

    private static async Task<object> ReceiveAsync(Inbox inbox, TimeSpan timeout, string what)
    {
        try { return await inbox.ReceiveAsync(timeout); }
        catch (TimeoutException) { throw new NodeStartupException($"the {what} did not answer within {timeout.TotalSeconds:0} s"); }
        finally { inbox.Dispose(); }
    }
}
