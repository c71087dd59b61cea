using FleetMerge.Fleet.Campaigns;
using FleetMerge.Protocol.Fleet;
using static FleetMerge.Fleet.Tests.Support.CampaignFixtures;

namespace FleetMerge.Fleet.Tests.Campaigns.Pure;

public sealed class CampaignValidationTests
{
    public static TheoryData<string, CampaignSpec> Refused => new()
    {
        { "kind 'upgrade': expected snapshot, rollback, commit", Snapshot() with { Kind = "upgrade" } },
        { "hosts: a host selector is required ('all' for every host)", Snapshot(hosts: " ") },
        { "volumes: a snapshot campaign needs at least one origin as VG/LV", Snapshot() with { Volumes = [] } },
        { "volumes: 'root' is not VG/LV", Snapshot() with { Volumes = ["root"] } },
        { "volumes: 'vg0/root/x' is not VG/LV", Snapshot() with { Volumes = ["vg0/root/x"] } },
        { "volumes: an origin is listed twice", Snapshot() with { Volumes = ["vg0/root", "vg0/root"] } },
        { "snapshot size '': a size is required (200M, 1G or 20%)", Snapshot() with { Size = "" } },
        { "snapshot size '0%': a percentage of the origin must be above 0% and at most 100%", Snapshot() with { Size = "0%" } },
        { "chunk size 3000: expected a power of two from 4K (4096) to 512K (524288)", Snapshot() with { ChunkBytes = 3000 } },
        { "chunk size 2048: expected a power of two from 4K (4096) to 512K (524288)", Snapshot() with { ChunkBytes = 2048 } },
        { "chunk size 1048576: expected a power of two from 4K (4096) to 512K (524288)", Snapshot() with { ChunkBytes = 1 << 20 } },
        { "of 'c1': only rollback and commit campaigns act on another campaign", Snapshot() with { Of = "c1" } },
        { "of: a rollback campaign needs the id of the snapshot campaign it acts on", Rollback("c1") with { Of = null } },
        { "of: a commit campaign needs the id of the snapshot campaign it acts on", Commit("") },
        { "volumes: a rollback campaign takes the volumes of campaign c1; give none", Rollback("c1") with { Volumes = ["vg0/root"] } },
        { "upgrade: only snapshot campaigns run the upgrade hook", Rollback("c1") with { Upgrade = true } },
        { "health: a commit campaign only removes snapshots; it runs no health hook", Commit("c1") with { Health = true } },
        { "canary -1: expected 0 (no canary wave) or more hosts", Snapshot(canary: -1) },
        { "max in flight -2: expected 0 (the whole wave) or more hosts", Snapshot(maxInFlight: -2) },
        { "wave size 'ten': expected a count (10) or a percentage (25%)", Snapshot(waveSize: "ten") },
        { "wave size '0': a wave needs at least one host", Snapshot(waveSize: "0") },
        { "wave size '0%': a wave needs at least one host", Snapshot(waveSize: "0%") },
        { "wave size '120%': a percentage must be between 0% and 100%", Snapshot(waveSize: "120%") },
        { "failure budget '-1': expected a count (10) or a percentage (25%)", Snapshot(budget: "-1") },
        { "step timeout 00:00:00: must be above zero", Snapshot(stepTimeout: TimeSpan.Zero) },
        { "window time zone 'Mars/Olympus': unknown time zone (expected an IANA id such as Europe/Berlin)",
            Snapshot(window: new MaintenanceWindowSpec(new TimeOnly(2, 0), new TimeOnly(4, 0), "Mars/Olympus")) },
        { "window 02:00-02:00: start and end must differ", Snapshot(window: new MaintenanceWindowSpec(new TimeOnly(2, 0), new TimeOnly(2, 0), "UTC")) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_spec_is_a_bad_request_naming_the_field(string message, CampaignSpec spec)
    {
        var e = Assert.Throws<FleetRequestException>(() => CampaignValidation.Validate(spec));
        Assert.Equal((FleetRequestException.BadRequest, message), (e.Kind, e.Message));
    }

    [Fact]
    public void Good_specs_of_every_kind_pass_with_their_numbers_parsed()
    {
        var valid = CampaignValidation.Validate(Snapshot(waveSize: "25%", budget: "2", upgrade: true, health: true,
            window: new MaintenanceWindowSpec(new TimeOnly(22, 0), new TimeOnly(4, 0), "Europe/Berlin")));
        Assert.Equal(new CountOrPercent(0, 25), valid.WaveSize);
        Assert.Equal(new CountOrPercent(2, null), valid.FailureBudget);
        CampaignValidation.Validate(Rollback("c1") with { Health = true });
        CampaignValidation.Validate(Commit("c1"));
        foreach (int chunk in new[] { 4096, 8192, 65536, 524288 })
            CampaignValidation.Validate(Snapshot() with { ChunkBytes = chunk });
    }
}
