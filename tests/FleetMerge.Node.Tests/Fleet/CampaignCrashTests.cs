using Xunit.Abstractions;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>
/// SIGKILL of the node (coordinator, journal and hosts in one process) in the middle of a campaign,
/// then a start on the same data directory: the campaign resumes where its journal says and
/// completes, every host has one outcome, and each host's ledger shows every step key accepted
/// once and finished once; a rollback afterwards brings back the bytes from before the campaign.
/// </summary>
[Collection(FleetNodeCollection.Name)]
public sealed class CampaignCrashTests(SlowFleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Sigkill_mid_campaign_then_a_restart_resumes_it_without_running_a_step_twice()
    {
        var before = fleet.OriginHashes();
        // Waves of two: sim-0001+sim-0002 (fast), sim-0003+sim-0004 (slow), sim-0005 (slow).
        string c = fleet.Start("snapshot", "--hosts", "env=sim", "--volumes", "vg0/root", "--size", "50%", "--upgrade", "--health", "--wave-size", "2");
        var waves = fleet.Campaign(c).GetProperty("waves").EnumerateArray()
            .Select(w => w.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()!).ToArray()).ToList();
        Assert.Equal([["sim-0001", "sim-0002"], ["sim-0003", "sim-0004"], ["sim-0005"]], waves);

        // Kill while sim-0003 is inside its snapshot step: accepted in its ledger, and 2 s of
        // simulated slowness before it can finish. sim-0004 is in preflight or snapshot (both
        // converge when run again); no hook can be cut short.
        string snapshotKey = $"{c}/sim-0003/1-snapshot/";
        await Eventually.Until($"sim-0003 accepted {snapshotKey}", () =>
        {
            var ledger = HostLedger.Read(fleet.E2e.DataDir, "sim-0003");
            return (ledger.HasAccepted(snapshotKey), ledger.ToString());
        }, TimeSpan.FromSeconds(60));
        await fleet.E2e.KillAsync();

        // What the disk says at the kill: sim-0003's snapshot step open (accepted, not finished),
        // nothing of the last wave yet.
        var sim3AtKill = HostLedger.Read(fleet.E2e.DataDir, "sim-0003");
        var open = sim3AtKill.Entries.Single(e => e.Manifest == HostLedger.Accepted && e.Key!.StartsWith(snapshotKey, StringComparison.Ordinal));
        Assert.False(sim3AtKill.Entries.Any(e => e.Manifest == HostLedger.Finished && e.Key == open.Key), $"the kill came after the step finished:\n{sim3AtKill}");
        Assert.Empty(HostLedger.Read(fleet.E2e.DataDir, "sim-0005").Of(c));

        await fleet.E2e.RestartAsync();
        await fleet.WaitForHostsAsync();
        var view = fleet.Completed(c);
        output.WriteLine(view.ToString());

        // One outcome per host, all succeeded.
        var hosts = view.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("host_id").GetString()!).ToList();
        Assert.Equal(FleetNode.SimHosts, hosts.Order(StringComparer.Ordinal));
        Assert.Equal(hosts.Count, hosts.Distinct().Count());
        Assert.All(FleetNode.Outcomes(view).Values, o => Assert.Equal("succeeded", o));

        // Each host: each of the campaign's four step keys accepted once and finished once, ok.
        foreach (string host in FleetNode.SimHosts)
        {
            var ledger = HostLedger.Read(fleet.E2e.DataDir, host);
            var entries = ledger.Of(c).ToList();
            var accepted = entries.Where(e => e.Manifest == HostLedger.Accepted).GroupBy(e => e.Key!).ToList();
            var finished = entries.Where(e => e.Manifest == HostLedger.Finished).GroupBy(e => e.Key!).ToList();
            Assert.True(accepted.Count == 4 && accepted.All(g => g.Count() == 1), ledger.ToString());
            Assert.True(finished.Count == 4 && finished.All(g => g.Count() == 1), ledger.ToString());
            Assert.Equal(accepted.Select(g => g.Key).Order(StringComparer.Ordinal), finished.Select(g => g.Key).Order(StringComparer.Ordinal));
            Assert.All(finished, g => Assert.True(g.Single().Payload.GetProperty("ok").GetBoolean(), ledger.ToString()));
            Assert.Equal(["0-preflight", "1-snapshot", "2-hook", "3-hook"], accepted.Select(g => g.Key.Split('/')[2]).Order(StringComparer.Ordinal));
        }

        // The cut step ran again under the same key after the restart: finished once, never accepted again.
        var sim3 = HostLedger.Read(fleet.E2e.DataDir, "sim-0003");
        Assert.Equal(open.Sequence, sim3.Entries.Single(e => e.Manifest == HostLedger.Accepted && e.Key == open.Key).Sequence);
        var finishedAfter = sim3.Entries.Single(e => e.Manifest == HostLedger.Finished && e.Key == open.Key);
        Assert.True(finishedAfter.Sequence > sim3AtKill.Entries.Max(e => e.Sequence), sim3.ToString());
        Assert.Contains(fleet.E2e.Node.Stderr, l => l.Contains($"step {open.Key} (snapshot) was cut short by a restart; running it again", StringComparison.Ordinal));

        // The upgrade changed every origin; the rollback brings each back byte for byte.
        var upgraded = fleet.OriginHashes();
        Assert.All(FleetNode.SimHosts, h => Assert.NotEqual(before[h], upgraded[h]));
        var rollback = fleet.Completed(fleet.Start("rollback", "--of", c));
        Assert.All(FleetNode.Outcomes(rollback).Values, o => Assert.Equal("succeeded", o));
        Assert.Equal(before, fleet.OriginHashes());
        Assert.Empty(fleet.CowFiles());
        await fleet.EveryHostIdleWithItsOriginOnly();
    }

}
