using System.Text.Json;
using FleetMerge.Dashboard.Tests.Support;

namespace FleetMerge.Dashboard.Tests;

/// <summary>The page's pure functions, run in chromium as the page runs them (the modules are static files, loaded without a token).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScriptTests(DashboardFixture dashboard)
{
    private async Task<JsonElement> RunAsync(string module, string body)
    {
        var shell = await DashboardPage.OpenAsync(dashboard);
        string json = await shell.Page.EvaluateAsync<string>($"async () => {{ const m = await import('/{module}'); return JSON.stringify(await (async () => {{ {body} }})()); }}");
        await shell.Page.Context.CloseAsync();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [Fact]
    public async Task Hosts_are_counted_by_reachability_and_state()
    {
        var counts = await RunAsync("views/fleet.js", """
            return m.countHosts([
              { reachability: 'reachable', state: 'idle' }, { reachability: 'reachable', state: 'merging' },
              { reachability: 'unreachable', state: 'needs-reboot' }, { reachability: 'left', state: 'failed' }]);
            """);
        Assert.Equal("""{"hosts":4,"reachable":2,"unreachable":1,"left":1,"idle":1,"merging":1,"needs-reboot":1,"failed":1}""", counts.ToString());
    }

    [Fact]
    public async Task The_snapshot_form_sends_only_what_was_given()
    {
        var body = await RunAsync("views/campaigns.js", """
            const empty = { hosts: ' ', volumes: 'vg0/root, vg1/data', size: '', chunk_bytes: '4096', canary: '0', wave_size: '', max_in_flight: '',
              failure_budget: '', step_timeout: '', window_start: '', window_end: '', time_zone: 'UTC', upgrade: false, health: false, auto_rollback: false };
            return [m.snapshotRequest(empty), m.snapshotRequest({ ...empty, hosts: 'env=prod', size: '20%', canary: '2', wave_size: '25%',
              max_in_flight: '3', failure_budget: '10%', step_timeout: '5m', upgrade: true, health: true, auto_rollback: true,
              window_start: '01:00', window_end: '05:00', time_zone: 'Europe/Berlin' })];
            """);
        Assert.Equal("""{"kind":"snapshot","volumes":["vg0/root","vg1/data"],"chunk_bytes":4096}""", body[0].ToString());
        Assert.Equal("""{"kind":"snapshot","volumes":["vg0/root","vg1/data"],"hosts":"env=prod","size":"20%","chunk_bytes":4096,"upgrade":true,"health":true,"auto_rollback":true,"canary":2,"wave_size":"25%","max_in_flight":3,"failure_budget":"10%","step_timeout":"5m","window":{"start":"01:00","end":"05:00","time_zone":"Europe/Berlin"}}""", body[1].ToString());
    }

    [Fact]
    public async Task The_campaign_buttons_follow_its_state_and_kind()
    {
        var actions = await RunAsync("views/campaign.js", """
            const v = (state, kind) => m.actionsFor({ state, spec: { kind } });
            return [v('running', 'snapshot'), v('paused', 'snapshot'), v('completed', 'snapshot'), v('failed', 'snapshot'), v('running', 'rollback'), v('completed', 'commit')];
            """);
        Assert.Equal("""[["pause","abort"],["resume","abort","rollback","commit"],["rollback","commit"],["rollback","commit"],["pause","abort"],[]]""", actions.ToString());
    }

    [Fact]
    public async Task Sizes_durations_and_attributes_read_as_an_operator_writes_them()
    {
        var words = await RunAsync("dom.js", """
            const v = await import('/views/volumes.js');
            return [m.formatBytes(512), m.formatBytes(16777216), m.formatBytes(1536), m.formatDuration('7.00:00:00'), m.formatDuration('00:10:00'),
              m.formatDuration('01:30:00'), m.formatPercent(100), m.formatPercent(86.11), v.describeAttr('Swi-a-s---'), v.describeAttr('owi-I-s---'),
              v.fullestCow([{ name: 'a', data_percent: null }, { name: 'b', data_percent: 12.5 }, { name: 'c', data_percent: 81 }]).name];
            """);
        Assert.Equal("""["512 B","16.00 MiB","1.50 KiB","7d","10m","1h30m","100 %","86.11 %","snapshot, merge requested, active","origin, invalid snapshot","c"]""", words.ToString());
    }
}
