using Akka.Actor;
using Akka.Event;
using FleetMerge.Protocol.Host;
using FleetMerge.Storage;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Host;

/// <summary>
/// The host's side of FleetMerge: loads every volume group under DATA_DIR/vgs at start and
/// activates it (a node start is a boot: merges marked onactivate start, merges interrupted by a
/// crash resume, with no network and no coordinator), and supervises one persistent
/// <see cref="VolumeActor"/> per origin volume, started at load and when an origin is created.
/// Group-wide commands (vg create/activate/deactivate, lv create) are done here; a command about
/// one volume goes to the actor of its origin family. Merge states of snapshots that are gone
/// (merged) are asked from the family actors, which keep them.
/// </summary>
public sealed class HostAgent : ReceiveActor
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly HostCatalog catalog;
    private readonly VolumeActorSettings settings;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<(string Vg, string Origin), IActorRef> actors = new();
    private readonly Dictionary<IActorRef, (string Vg, string Origin)> owners = new();
    private readonly HashSet<IActorRef> expectedStops = [];
    private long spawned;

    public HostAgent(HostCatalog catalog, VolumeActorSettings settings)
    {
        this.catalog = catalog;
        this.settings = settings;

        Receive<ListVgs>(_ => Reply(() => new VgList([.. catalog.All.Select(Views.Vg)])));
        Receive<CreateVg>(c => Reply(() => CreateGroup(c.Name)));
        Receive<ActivateVg>(c => Reply(() => Activate(c.Vg)));
        Receive<DeactivateVg>(c => Reply(() => Deactivate(c.Vg)));
        Receive<CreateLv>(c => Handle(() => CreateOrigin(c)));
        Receive<GetMergeState>(c => Handle(() => MergeState(c)));
        Receive<IVolumeCommand>(c => Handle(() => FamilyOf(c.Vg, c.Lv).Forward(c)));
        Receive<FamilyKeyChanged>(OnKeyChanged);
        Receive<FamilyRemoved>(_ => Forget(Sender, expected: true));
        Receive<Terminated>(t => Forget(t.ActorRef, expected: false));
    }

    /// <summary>How every log line of the agent starts: "host=sim-0003" when the catalog knows its host.</summary>
    private string Ids => catalog.HostId is { } host ? $"host={host}" : "host agent";

    public static Props Props(HostCatalog catalog, VolumeActorSettings settings) =>
        Akka.Actor.Props.Create(() => new HostAgent(catalog, settings));

    /// <summary>Volume actor failures restart it (it recovers and reconciles); a failed journal write stops it.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: e => e switch
        {
            ActorInitializationException => Directive.Stop,
            _ => Directive.Restart,
        });

    protected override void PreStart()
    {
        try { LoadAll(); }
        catch (Exception e) { log.Error(e, "{0}: loading the volume groups in {1} failed: {2}", Ids, catalog.Root, e.Message); }
        finally { catalog.MarkLoaded(); }
    }

    protected override void PostStop()
    {
        // Children (volume actors) have stopped by now: close the groups like a process exit.
        catalog.DisposeAll();
    }

    // ---------------------------------------------------------------- start

    private void LoadAll()
    {
        Directory.CreateDirectory(catalog.Root);
        foreach (string dir in Directory.GetDirectories(catalog.Root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, "metadata.json")))
            {
                log.Warning("{0}: {1} is not a volume group (no metadata.json); skipped", Ids, dir);
                continue;
            }
            VolumeGroup group;
            try { group = VolumeGroup.Load(dir); }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
            {
                log.Error("{0}: cannot load the volume group in {1}: {2}", Ids, dir, e.Message);
                continue;
            }
            if (!catalog.Add(group))
            {
                log.Error("{0} vg={2}: {1} holds volume group {2}, which is already loaded from another directory; skipped", Ids, dir, group.Name);
                group.Dispose();
                continue;
            }
            // The boot: every family is activated; what that starts, the family actors run after their recovery.
            try
            {
                var result = group.ActivateAll();
                log.Info("{0} vg={1}: loaded from {2} and activated: {3} volumes{4}", Ids, group.Name, dir, group.Metadata.Volumes.Count,
                    result.Started.Count > 0 ? $"; merges started: {string.Join(", ", result.Started.Select(m => $"{group.Name}/{m.Snapshot}"))}" : "");
                foreach (string note in result.Notes) log.Warning("{0} vg={1}: activation: {2}", Ids, group.Name, note);
            }
            catch (StorageException e)
            {
                log.Error("{0} vg={1}: activation failed: {2}", Ids, group.Name, e.Message);
            }
            foreach (var origin in group.Metadata.Origins.ToList()) Spawn(group, origin.Uuid, null);
        }
    }

    // ---------------------------------------------------------------- groups

    private VgInfo CreateGroup(string name)
    {
        VolumeNames.ValidateGroup(name); // before the name becomes a path
        if (catalog.TryGet(name, out _)) throw new VolumeExistsException($"volume group {name}: already exists");
        var group = VolumeGroup.Create(catalog.PathFor(name), name);
        if (!catalog.Add(group))
        {
            group.Dispose();
            throw new VolumeExistsException($"volume group {name}: already exists");
        }
        log.Info("{0} vg={1}: created in {2}", Ids, name, group.DirectoryPath);
        return Views.Vg(group);
    }

    private VgActivated Activate(string vg)
    {
        var group = catalog.Get(vg);
        ActivationResult? result = null;
        StorageException? failure = null;
        try { result = group.ActivateAll(); }
        catch (StorageException e) { failure = e; }
        // Every family that did activate tells its journal and runs what started.
        SyncFamilies(group, $"the activation of volume group {vg}");
        if (failure is not null) throw failure;
        foreach (string note in result!.Notes) log.Warning("{0} vg={1}: activation: {2}", Ids, vg, note);
        return new VgActivated([.. result.Started.Select(m => m.Snapshot)], result.Notes);
    }

    private VgDeactivated Deactivate(string vg)
    {
        var group = catalog.Get(vg);
        group.DeactivateAll(); // refused, changing nothing, while any volume is open; stops running merges
        SyncFamilies(group, $"the deactivation of volume group {vg}");
        return VgDeactivated.Instance;
    }

    private void SyncFamilies(VolumeGroup group, string reason)
    {
        foreach (var origin in group.Metadata.Origins.ToList())
            ActorFor(group, origin.Uuid).Tell(new SyncWithDisk(reason), ActorRefs.NoSender);
    }

    // ---------------------------------------------------------------- volumes

    private void CreateOrigin(CreateLv c)
    {
        var group = catalog.Get(c.Vg);
        group.CreateOrigin(c.Name, c.SizeBytes);
        // As lvcreate: the new volume is active (its actor journals that with the creation).
        try { group.Activate(c.Name); }
        catch (StorageException)
        {
            group.Remove(c.Name);
            throw;
        }
        var origin = group.Metadata.Find(c.Name)!;
        // The new actor journals VolumeCreated and answers the caller (or removes the origin again if the journal fails).
        Spawn(group, origin.Uuid, new VolumeCreation(Sender));
    }

    private void MergeState(GetMergeState c)
    {
        var group = catalog.Get(c.Vg);
        if (group.Metadata.Find(c.Lv) is not null)
        {
            FamilyOf(c.Vg, c.Lv).Forward(c);
            return;
        }
        // The snapshot is gone (merged or removed): whichever family merged it remembers.
        var family = actors.Where(kv => kv.Key.Vg == group.Uuid).Select(kv => kv.Value).Distinct().ToList();
        var asks = family.Select(a => a.Ask<MergeStateReply>(c, AskTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Merge : null, TaskScheduler.Default)).ToList();
        Task.WhenAll(asks)
            .ContinueWith(t => new MergeStateReply(t.Result.FirstOrDefault(m => m is not null)), TaskScheduler.Default)
            .PipeTo(Sender);
    }

    /// <summary>The actor of the family <paramref name="lv"/> belongs to (started again if it had stopped).</summary>
    private IActorRef FamilyOf(string vg, string lv)
    {
        var group = catalog.Get(vg);
        var metadata = group.Metadata;
        var volume = metadata.Find(lv) ?? throw new VolumeNotFoundException($"{vg}/{lv}: no such volume");
        return ActorFor(group, metadata.OriginOf(volume).Uuid);
    }

    private IActorRef ActorFor(VolumeGroup group, string originUuid)
    {
        var actor = actors.TryGetValue((group.Uuid, originUuid), out var known) ? known : Spawn(group, originUuid, null);
        // A namesnapshot merge ends with the origin taking its snapshot's UUID a moment before the family's actor
        // re-keys itself (once the completion is journaled): the snapshots' UUIDs lead to the family's actor too,
        // so a command in that moment does not start a second actor for the same family.
        foreach (var snapshot in group.Metadata.SnapshotsOf(originUuid)) actors.TryAdd((group.Uuid, snapshot.Uuid), actor);
        return actor;
    }

    private IActorRef Spawn(VolumeGroup group, string originUuid, VolumeCreation? creation)
    {
        var actor = Context.ActorOf(VolumeActor.Props(group, originUuid, settings, creation, catalog.HostId), $"volume-{originUuid}-{++spawned}");
        Context.Watch(actor);
        actors[(group.Uuid, originUuid)] = actor;
        owners[actor] = (group.Uuid, originUuid);
        return actor;
    }

    private void OnKeyChanged(FamilyKeyChanged changed)
    {
        if (!owners.TryGetValue(Sender, out var key)) return;
        actors.Remove(key);
        var next = (changed.VgUuid, changed.NewOriginUuid);
        actors[next] = Sender;
        owners[Sender] = next;
    }

    private void Forget(IActorRef actor, bool expected)
    {
        if (expected) expectedStops.Add(actor);
        if (!owners.Remove(actor, out _))
        {
            if (!expected) expectedStops.Remove(actor);
            return;
        }
        foreach (var alias in actors.Where(kv => kv.Value.Equals(actor)).Select(kv => kv.Key).ToList()) actors.Remove(alias);
        if (!expected && !expectedStops.Remove(actor))
            log.Warning("{0}: the volume actor {1} stopped; the next command for its volumes starts it again (it recovers and reconciles)", Ids, actor.Path.Name);
    }

    // ---------------------------------------------------------------- replies

    private void Reply(Func<object> command)
    {
        try { Sender.Tell(command()); }
        catch (Exception e) { Fail(e); }
    }

    private void Handle(Action command)
    {
        try { command(); }
        catch (Exception e) { Fail(e); }
    }

    private void Fail(Exception e)
    {
        if (e is not (StorageException or ArgumentException)) log.Error(e, "{0}: {1}", Ids, e.Message);
        Sender.Tell(new Status.Failure(e));
    }
}
