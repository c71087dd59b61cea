using System.Text.RegularExpressions;
using FleetMerge.Fleet.Campaigns;
using FleetMerge.Fleet.Tests.Support;
using FleetMerge.Protocol;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

/// <summary>Every persisted campaign type has a manifest and survives the node's JSON settings.</summary>
public sealed class CampaignPersistenceTests
{
    [Fact]
    public void Every_persisted_type_of_the_fleet_assembly_has_one_well_formed_manifest()
    {
        var persisted = typeof(CampaignState).Assembly.GetTypes()
            .Where(t => typeof(IPersisted).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Where(t => t.Namespace == typeof(CampaignState).Namespace)
            .OrderBy(t => t.Name).ToList();
        Assert.Equal(persisted, CampaignManifests.All.Select(m => m.Type).OrderBy(t => t.Name));
        Assert.Equal(CampaignManifests.All.Count, CampaignManifests.All.Select(m => m.Manifest).Distinct().Count());
        Assert.All(CampaignManifests.All, m => Assert.Matches(new Regex("^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*\\.v[0-9]+$"), m.Manifest));
    }

    [Fact]
    public void Every_event_and_state_round_trips_through_json()
    {
        var window = new MaintenanceWindowSpec(new TimeOnly(22, 30), new TimeOnly(4, 0), "Europe/Berlin");
        var run = new CampaignRun(Plan(Snapshot(canary: 1, waveSize: "2", upgrade: true, window: window, autoRollback: true) with { Policy = "nightly" }, 4),
            at: new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero));
        run.AnswerAll((_, step) => step == 2);
        run.Do(s => CampaignDecisions.RecordFollowUp(s, "c2", run.Now));
        var entry = CampaignProjection.Entry(run.State, 1);
        object[] samples =
        [
            .. run.Journal,
            new StepFailed("sim-0001", 1, "k", "no space", T0),
            new HostStopped("sim-0001", "stopped", T0),
            new CampaignPaused(T0), new CampaignResumed(T0), new CampaignAborted(T0),
            new CampaignRecovered(3, T0),
            run.State,
            new CampaignOpened(entry with { EndedAt = null }, "operator"),
            new CampaignClosed(entry),
            new CampaignIndexState(1, [entry]),
        ];
        var covered = samples.Select(s => s.GetType()).ToHashSet();
        Assert.All(CampaignManifests.All, m => Assert.Contains(m.Type, covered));
        foreach (object sample in samples)
        {
            var (first, second) = CampaignJson.RoundTrip(sample);
            Assert.Equal(first, second);
        }
        var back = (CampaignState)CampaignJson.Read(CampaignJson.Write(run.State), typeof(CampaignState));
        Assert.Equal(window, back.Plan.Spec.Window);
        Assert.Equal(TimeSpan.FromMinutes(5), back.Plan.Spec.StepTimeout);
        Assert.Contains("\"failures_allowed\":0", CampaignJson.Write(run.State), StringComparison.Ordinal);
    }
}
