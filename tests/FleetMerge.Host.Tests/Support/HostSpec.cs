using Akka.Actor;
using Akka.Persistence;
using FleetMerge.Protocol.Host;
using FleetMerge.Protocol.Volumes;
using FleetMerge.Storage.Groups;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Support;

/// <summary>
/// An ActorSystem (in-memory journal and snapshot store unless told otherwise), a data directory,
/// and a host agent on DIR/vgs. Stopping the agent and starting another one on the same directory
/// in the same system is a node restart that keeps the journal.
/// </summary>
public abstract class HostSpec : Akka.TestKit.Xunit2.TestKit
{
    public const string InMemoryConfig = """
        akka.loglevel = INFO
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static VolumeActorSettings Fast { get; } = VolumeActorSettings.Default with { ProgressInterval = TimeSpan.FromMilliseconds(20) };

    private readonly TempDir dir = new();
    private int agents;

    protected HostSpec(ITestOutputHelper output, string config = InMemoryConfig) : base(config, output) { }

    protected string VgsDirectory => Path.Combine(dir.Path, "vgs");

    protected HostCatalog Catalog { get; private set; } = null!;

    protected IActorRef Agent { get; private set; } = ActorRefs.Nobody;

    protected async Task StartAgentAsync(VolumeActorSettings? settings = null)
    {
        Catalog = new HostCatalog(VgsDirectory);
        Agent = Sys.ActorOf(HostAgent.Props(Catalog, settings ?? Fast), $"host-{++agents}");
        await Catalog.Loaded.WaitAsync(Timeout);
    }

    /// <summary>Stops the agent (its volume actors first); the groups are closed like a process exit.</summary>
    protected void StopAgent()
    {
        Watch(Agent);
        Agent.Tell(PoisonPill.Instance);
        ExpectTerminated(Agent, Timeout);
        Unwatch(Agent);
    }

    protected Task<T> AskAsync<T>(object message) => Agent.Ask<T>(message, Timeout);

    protected VolumeGroup Group(string vg = "vg0") => Catalog.Get(vg);

    protected async Task<LvRow> SetUpOriginWithSnapshotAsync(byte before, byte after, long size = 1 << 20)
    {
        await AskAsync<VgInfo>(new CreateVg("vg0"));
        var root = await AskAsync<LvRow>(new CreateLv("vg0", "root", size));
        Write("root", 0, Pattern(before, (int)size));
        await AskAsync<LvRow>(new CreateSnapshot("vg0", "root", "s1", 2 * size, 4096));
        Write("root", 0, Pattern(after, (int)size));
        return root;
    }

    protected void Write(string lv, long offset, byte[] data)
    {
        using var session = Group().Open(lv);
        session.Write(offset, data);
        session.Flush();
    }

    protected byte[] Read(string lv, long offset, int length)
    {
        using var session = Group().Open(lv);
        var buffer = new byte[length];
        session.Read(offset, buffer);
        return buffer;
    }

    public static byte[] Pattern(byte seed, int length)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(seed + i / 4096 * 7 + i % 251);
        return data;
    }

    protected async Task<MergeState> WaitForMergeAsync(string snapshot, Func<MergeState, bool> until)
    {
        var deadline = DateTime.UtcNow + Timeout;
        MergeState? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await AskAsync<MergeStateReply>(new GetMergeState("vg0", snapshot))).Merge;
            if (last is not null && until(last)) return last;
            await Task.Delay(20);
        }
        throw new TimeoutException($"merge of {snapshot}: last state {last}");
    }

    /// <summary>The volume actor of the origin with that UUID.</summary>
    protected Task<IActorRef> VolumeActorAsync(string originUuid) =>
        Sys.ActorSelection($"{Agent.Path}/volume-{originUuid}-*").ResolveOne(Timeout);

    protected async Task<VolumeView> ViewAsync(string originUuid) =>
        await (await VolumeActorAsync(originUuid)).Ask<VolumeView>(GetVolumeView.Instance, Timeout);

    /// <summary>Every event in the journal for <paramref name="persistenceId"/>, in order.</summary>
    protected IReadOnlyList<IVolumeEvent> Journal(string persistenceId)
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        var probe = CreateTestProbe();
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, probe.Ref));
        var events = new List<IVolumeEvent>();
        while (true)
        {
            var message = probe.ExpectMsg<object>(Timeout);
            if (message is ReplayedMessage replayed) events.Add((IVolumeEvent)replayed.Persistent.Payload);
            else if (message is RecoverySuccess) return events;
            else throw new InvalidOperationException($"journal replay: {message}");
        }
    }

    protected static IReadOnlyList<string> Kinds(IEnumerable<IVolumeEvent> events) => [.. events.Select(e => e.GetType().Name)];

    protected override void AfterAll()
    {
        if (!Agent.IsNobody())
        {
            try { StopAgent(); }
            catch (Exception) { /* the test failed already */ }
        }
        base.AfterAll();
        dir.Dispose();
    }
}

/// <summary>Writes given events under a persistence id, as an earlier node would have.</summary>
public sealed class JournalSeeder : ReceivePersistentActor
{
    public JournalSeeder(string persistenceId, IReadOnlyList<IVolumeEvent> events)
    {
        PersistenceId = persistenceId;
        Recover<object>(_ => { });
        Command<string>(_ =>
        {
            var replyTo = Sender;
            int left = events.Count;
            PersistAll(events, _ =>
            {
                if (--left == 0) replyTo.Tell(LastSequenceNr);
            });
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IReadOnlyList<IVolumeEvent> events) =>
        Akka.Actor.Props.Create(() => new JournalSeeder(persistenceId, events));
}
