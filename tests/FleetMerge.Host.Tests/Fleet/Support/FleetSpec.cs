using System.Security.Cryptography;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Ledger;
using FleetMerge.Host.Fleet.Simulated;
using FleetMerge.Host.Tests.Support;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Support;

/// <summary>
/// An ActorSystem with the in-memory journal, a data directory, and a probe in the coordinator's
/// place. Fleet host actors started here are stopped (and their owned agents with them) at the end.
/// </summary>
public abstract class FleetSpec : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDir dir = new("fleetmerge-fleet-test");
    private readonly List<IActorRef> started = [];
    private int names;

    protected FleetSpec(ITestOutputHelper output) : base(HostSpec.InMemoryConfig, output)
    {
        Coordinator = CreateTestProbe("coordinator");
    }

    protected string DataDirectory => dir.Path;

    protected TempDir Dir => dir;

    /// <summary>Stands in for the coordinator's singleton proxy: every HostReport and HostLeaving comes here.</summary>
    protected TestProbe Coordinator { get; }

    protected static SimulatedFleetSettings Fleet(int count, string dataDirectory) => new(count, dataDirectory);

    protected SimulatedHostSpec SimulatedHost(SimulatedFleetSettings? settings = null, int index = 0) =>
        SimulatedFleet.Hosts(settings ?? Fleet(1, DataDirectory))[index];

    protected IActorRef Start(Props props)
    {
        var actor = Sys.ActorOf(props, $"fleet-host-{++names}");
        started.Add(actor);
        return actor;
    }

    protected IActorRef StartSimulated(SimulatedHostSpec host, VolumeActorSettings? volumes = null, FleetHostSettings? settings = null) =>
        Start(FleetHostActor.ForSimulated(host, volumes ?? HostSpec.Fast, Coordinator.Ref, settings));

    /// <summary>The node's own host agent on DATA_DIR/vgs, as the node starts it (stopped at the end of the test).</summary>
    protected async Task<(IActorRef Agent, HostCatalog Catalog)> StartNodeAgentAsync()
    {
        var catalog = new HostCatalog(Path.Combine(DataDirectory, "vgs"));
        var agent = Sys.ActorOf(HostAgent.Props(catalog, HostSpec.Fast), "host");
        started.Add(agent);
        await catalog.Loaded.WaitAsync(Timeout);
        return (agent, catalog);
    }

    /// <summary>Stops a fleet host actor (its owned agent first) and waits until it is gone: the host is down.</summary>
    protected void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor, Timeout);
        Unwatch(actor);
        started.Remove(actor);
    }

    /// <summary>The next report the coordinator gets (skipping HostLeaving).</summary>
    protected HostReport NextReport() => (HostReport)Coordinator.FishForMessage(m => m is HostReport, Timeout);

    protected HostReport NextReport(Func<HostReport, bool> until) => (HostReport)Coordinator.FishForMessage(m => m is HostReport r && until(r), Timeout);

    protected static HostStep Step(string key, string host, string kind, string? hook = null, string size = "100%",
        TimeSpan? timeout = null, string campaign = "c1", IReadOnlyList<string>? volumes = null, IReadOnlyList<string>? snapshots = null) =>
        new(key, campaign, host, kind, volumes ?? ["vg0/root"], campaign, size, 4096, hook, snapshots ?? [], timeout ?? Timeout);

    protected static async Task<HostStepResult> RunAsync(IActorRef host, HostStep step)
    {
        var result = await host.Ask<HostStepResult>(step, Timeout + TimeSpan.FromSeconds(30));
        Assert.Equal((step.Key, step.HostId), (result.Key, result.HostId));
        return result;
    }

    /// <summary>Runs a step that must succeed; returns its detail.</summary>
    protected static async Task<string> OkAsync(IActorRef host, HostStep step)
    {
        var result = await RunAsync(host, step);
        Assert.True(result.Ok, $"step {step.Key} ({step.Kind}) failed: {result.Detail}");
        Assert.False(result.Replayed);
        return result.Detail;
    }

    protected static string OriginImage(SimulatedHostSpec host) => Path.Combine(host.VgsDirectory, SimulatedHostSpec.Vg, SimulatedHostSpec.Origin + ".img");

    protected static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    protected static string HashOfOrigin(SimulatedHostSpec host)
    {
        using var stream = new FileStream(OriginImage(host), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    protected Task<FleetHostView> ViewAsync(IActorRef host) => host.Ask<FleetHostView>(GetFleetHostView.Instance, Timeout);

    /// <summary>Every event of the host's step ledger, in order.</summary>
    protected IReadOnlyList<IHostStepEvent> Ledger(string hostId)
    {
        var journal = Persistence.Instance.Apply(Sys).JournalFor(null);
        var probe = CreateTestProbe();
        journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, FleetHostSettings.PersistenceIdFor(hostId), probe.Ref));
        var events = new List<IHostStepEvent>();
        while (true)
        {
            var message = probe.ExpectMsg<object>(Timeout);
            if (message is ReplayedMessage replayed) events.Add((IHostStepEvent)replayed.Persistent.Payload);
            else if (message is RecoverySuccess) return events;
            else throw new InvalidOperationException($"journal replay: {message}");
        }
    }

    protected static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {Timeout}");
            await Task.Delay(20);
        }
    }

    protected override void AfterAll()
    {
        foreach (var actor in Enumerable.Reverse(started.ToList())) // the fleet host actors before the node's agent they ask
        {
            try { Stop(actor); }
            catch (Exception) { /* the test failed already */ }
        }
        base.AfterAll();
        dir.Dispose();
    }
}
