using Akka.Actor;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;
using Xunit.Abstractions;

namespace FleetMerge.Fleet.Tests.Support;

/// <summary>
/// An ActorSystem with an in-memory journal and snapshot store (both outlive any actor, so a
/// coordinator started again recovers what the killed one wrote), a fake fleet, and coordinators.
/// </summary>
public abstract class CampaignSpecBase : Akka.TestKit.Xunit2.TestKit
{
    public const string InMemoryConfig = """
        akka.loglevel = INFO
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Quick clocks for tests: ticks every 50 ms, resends after 300 ms, stopped campaigns start again after 300 ms.</summary>
    public static CampaignSettings FastCampaigns { get; } = new(
        SnapshotEvery: 40, TickInterval: TimeSpan.FromMilliseconds(50),
        Tuning: new CampaignTuning(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300)), IdleAfterEnd: TimeSpan.FromSeconds(1));

    private int coordinators;

    protected CampaignSpecBase(ITestOutputHelper output, string config = InMemoryConfig) : base(config, output) { }

    protected IActorRef Fleet { get; private set; } = ActorRefs.Nobody;

    protected IActorRef CoordinatorRef { get; private set; } = ActorRefs.Nobody;

    protected void StartFleet(int hosts, Func<HostStep, int, FakeAnswer>? script = null, TimeSpan? delay = null, IReadOnlyList<string>? canaries = null) =>
        Fleet = Sys.ActorOf(CampaignFleet.Props(CampaignFixtures.HostIds(hosts), canaries ?? [], script ?? ((_, _) => FakeAnswer.Ok_), delay ?? TimeSpan.Zero), "fleet");

    protected CoordinatorSettings Settings(Func<IUntypedActorContext, IActorRef>? policies = null)
    {
        var fleet = Fleet;
        return new CoordinatorSettings(CoordinatorSettings.Child(CampaignRegistryStub.Props(fleet), "registry"), policies)
        {
            Campaigns = FastCampaigns,
            RestartDelay = TimeSpan.FromMilliseconds(300),
            IndexSnapshotEvery = 3,
        };
    }

    protected IActorRef StartCoordinator(CoordinatorSettings? settings = null)
    {
        CoordinatorRef = Sys.ActorOf(Coordinator.Props(settings ?? Settings()), $"coordinator-{++coordinators}");
        return CoordinatorRef;
    }

    /// <summary>Kill (an exception, as a crash) or PoisonPill (a clean stop); returns when it has stopped.</summary>
    protected void StopCoordinator(object how)
    {
        var coordinator = CoordinatorRef;
        Watch(coordinator);
        coordinator.Tell(how);
        ExpectTerminated(coordinator, Timeout);
        Unwatch(coordinator);
    }

    protected Task<T> AskAsync<T>(object message) => CoordinatorRef.Ask<T>(message, Timeout);

    protected async Task<CampaignAccepted> StartAsync(CampaignSpec spec, string by = "test") => await AskAsync<CampaignAccepted>(new StartCampaign(spec, by));

    protected Task<CampaignView> ViewAsync(string id) => AskAsync<CampaignView>(new GetCampaign(id));

    protected async Task<FleetLog> FleetLogAsync() => await Fleet.Ask<FleetLog>(GetFleetLog.Instance, Timeout);

    /// <summary>Polls the campaign until <paramref name="until"/> holds (generous deadline; asks that fail while a campaign restarts are retried).</summary>
    protected async Task<CampaignView> WaitForAsync(string id, Func<CampaignView, bool> until, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Timeout);
        CampaignView? last = null;
        Exception? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await ViewAsync(id);
                if (until(last)) return last;
            }
            catch (Exception e) when (e is FleetRequestException or AskTimeoutException) { error = e; }
            await Task.Delay(25);
        }
        throw new TimeoutException($"campaign {id}: last view {Describe(last)}; last error {error?.Message}");
    }

    protected Task<CampaignView> WaitForEndAsync(string id, TimeSpan? within = null) => WaitForAsync(id, v => v.EndedAt is not null, within);

    protected static string Describe(CampaignView? view) => view is null ? "none" :
        $"{view.State} wave {view.CurrentWave}, waiting for {view.WaitingFor}; hosts {string.Join(", ", view.Hosts.Select(h => $"{h.HostId}:{h.Outcome}@{h.StepIndex}"))}";

    protected static IReadOnlyList<string> Outcomes(CampaignView view, string outcome) =>
        [.. view.Hosts.Where(h => h.Outcome == outcome).Select(h => h.HostId)];
}
