using System.Text.Json;
using System.Text.RegularExpressions;
using FleetMerge.Dashboard.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FleetMerge.Dashboard.Tests;

/// <summary>
/// Campaigns driven from the page: a snapshot campaign started by the form and watched to its
/// end, a rollback started by its button and watched on a host until the merge is complete and the
/// snapshot gone; pause, resume and abort by keyboard. The page must say what the API says.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class CampaignTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private FleetNode Node => dashboard.Node;

    [Fact]
    public async Task A_snapshot_campaign_from_the_form_then_a_rollback_whose_merge_the_host_view_follows_to_the_end()
    {
        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAndSeeFleetAsync();
        await shell.NavigateAsync("Campaigns");

        // 512 KiB chunks: the upgrade's 64 scattered pages dirty most of the 16 MiB origin, so the
        // rollback's merge copies megabytes at the node's 4 MiB/s and lasts seconds. An 18 MiB COW
        // holds them all (a percentage is at most 100 % of the origin, too tight for 512 KiB chunks).
        await page.GetByLabel("Hosts (selector)").FillAsync("env=sim");
        await page.GetByLabel("Volumes").FillAsync("vg0/root");
        await page.GetByLabel("Snapshot size").FillAsync("18M");
        await page.GetByLabel("Chunk size").SelectOptionAsync("524288");
        await page.GetByLabel("Run the upgrade hook after the snapshot").CheckAsync();
        await page.GetByLabel("Run the health hook").CheckAsync();
        await page.GetByLabel("Canary hosts").FillAsync("1");
        await page.GetByLabel("Wave size").FillAsync("50%");
        await Artifacts.ScreenshotAsync(page, "campaigns-form", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "campaigns", output);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start snapshot campaign" }).ClickAsync();

        string c = await CampaignIdFromUrlAsync(page);
        await Expect(shell.Heading).ToHaveTextAsync($"Campaign {c} (snapshot)");
        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 120_000 });
        var snapshot = await Node.AwaitCampaignAsync(c, "completed");
        var spec = snapshot.GetProperty("spec");
        Assert.Equal("env=sim", spec.GetProperty("hosts").GetString());
        Assert.Equal(524288, spec.GetProperty("chunk_bytes").GetInt32());
        Assert.True(spec.GetProperty("upgrade").GetBoolean() && spec.GetProperty("health").GetBoolean());
        await AssertCampaignPageMatchesAsync(shell, snapshot);
        Assert.Equal(FleetNode.SimHosts, Outcomes(snapshot).Keys);
        Assert.All(Outcomes(snapshot).Values, o => Assert.Equal("succeeded", o));
        await Expect(page.Locator(".live-status")).ToHaveAttributeAsync("data-live", "over");
        await Artifacts.ScreenshotAsync(page, "campaign-snapshot", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "campaign (snapshot, completed)", output);

        // A second tab on one host: its snapshot and COW use as the API reports them.
        var hostShell = await DashboardPage.OpenAsync(dashboard);
        var hostPage = hostShell.Page;
        await hostShell.LogInAndSeeFleetAsync();
        await hostShell.GoAsync("#/hosts/sim-0001", "Host sim-0001");
        string snapshotName = $"root-{c}";
        await Expect(LvRow(hostPage, "sim-0001", snapshotName)).ToHaveCountAsync(1);
        var cow = (await Node.HostAsync("sim-0001")).GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == snapshotName);
        var cowRow = (await hostShell.RowsAsync("Logical volumes of sim-0001 (lvs)")).Single(r => r[0] == snapshotName);
        double dataPercent = cow.GetProperty("data_percent").GetDouble();
        Assert.Equal(cow.GetProperty("attr").GetString(), cowRow[2].Split(' ')[0]);
        Assert.Contains(Percent(dataPercent), cowRow[5]);
        Assert.Equal(dataPercent >= 80, cowRow[5].Contains("nearly full", StringComparison.Ordinal));
        Assert.Equal("root", cowRow[4]);
        output.WriteLine($"sim-0001 {snapshotName}: Data% {dataPercent} shown as '{cowRow[5]}'");
        await Artifacts.ScreenshotAsync(hostPage, "host-with-snapshot", output);
        await Accessibility.AssertNoSeriousFindingsAsync(hostPage, "host with a snapshot", output);

        // Roll back from the campaign view (a confirmation first).
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start rollback" })).ToBeFocusedAsync();
        await Accessibility.AssertNoSeriousFindingsAsync(page, "campaign (confirming a rollback)", output);
        await page.Keyboard.PressAsync("Enter");
        string r = await CampaignIdFromUrlAsync(page, not: c);
        await Expect(shell.Heading).ToHaveTextAsync($"Campaign {r} (rollback)");

        // The host view follows the merge: requested, running, then complete at 100 % with the snapshot gone.
        var merge = hostPage.Locator("table:has(caption:text-is('Merges on sim-0001')) tbody tr", new() { HasText = $"vg0/{snapshotName}" });
        await Expect(merge).ToHaveCountAsync(1);
        await Expect(merge.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "running");
        await Artifacts.ScreenshotAsync(hostPage, "host-merging", output);
        await Expect(merge.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "complete", new() { Timeout = 120_000 });
        await Expect(merge).ToContainTextAsync("100 %");
        await Expect(merge).ToContainTextAsync("removed");
        await Expect(merge.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(LvRow(hostPage, "sim-0001", snapshotName)).ToHaveCountAsync(0, new() { Timeout = 120_000 });
        await Artifacts.ScreenshotAsync(hostPage, "host-merge-complete", output);
        await Accessibility.AssertNoSeriousFindingsAsync(hostPage, "host after its merge", output);

        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 120_000 });
        var rollback = await Node.AwaitCampaignAsync(r, "completed");
        Assert.Equal(c, rollback.GetProperty("spec").GetProperty("of").GetString());
        Assert.All(Outcomes(rollback).Values, o => Assert.Equal("succeeded", o));
        await AssertCampaignPageMatchesAsync(shell, rollback);
        Assert.Equal(["root"], await Node.VolumeNamesAsync("sim-0001"));
        await Artifacts.ScreenshotAsync(page, "campaign-rollback", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "campaign (rollback, completed)", output);

        // The campaign list shows both, newest first, as the API does.
        await shell.NavigateAsync("Campaigns");
        var list = await Node.GetAsync("campaigns");
        await Expect(page.Locator("table:has(caption:text-is('Campaigns, newest first')) tbody tr")).ToHaveCountAsync(list.GetArrayLength());
        var listRows = await shell.RowsAsync("Campaigns, newest first");
        Assert.Equal(list.EnumerateArray().Select(x => x.GetProperty("id").GetString()), listRows.Select(x => x[0]));
        Assert.Equal(list.EnumerateArray().Select(x => x.GetProperty("state").GetString()), listRows.Select(x => x[2].Split(' ')[^1]));
        await Artifacts.ScreenshotAsync(page, "campaigns", output);

        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        Assert.Empty(shell.ScriptErrors);
        Assert.Empty(hostShell.ScriptErrors);
    }

    [Fact]
    public async Task Pause_resume_and_abort_by_keyboard_do_what_the_api_then_says()
    {
        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        var shell = await DashboardPage.OpenAsync(dashboard);
        var page = shell.Page;
        await shell.LogInAndSeeFleetAsync();
        await shell.GoAsync("#/campaigns", "Campaigns");

        // A window that opens in two hours: the campaign waits for it, so it surely runs while we press buttons.
        var now = DateTime.UtcNow;
        await page.GetByLabel("Hosts (selector)").FillAsync("rack=r1");
        await page.GetByLabel("Volumes").FillAsync("vg0/root");
        await page.GetByLabel("Snapshot size").FillAsync("20%");
        await page.GetByLabel("Window start").FillAsync(now.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Window end").FillAsync(now.AddHours(3).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Start snapshot campaign" }).PressAsync("Enter");
        string c = await CampaignIdFromUrlAsync(page);

        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "running");
        var waiting = await Node.CampaignAsync(c);
        Assert.NotNull(waiting.GetProperty("spec").GetProperty("window").GetProperty("start").GetString());
        await Eventually.Until($"{c} waits for its window", async () =>
        {
            waiting = await Node.CampaignAsync(c);
            return (waiting.GetProperty("waiting_for").ValueKind == JsonValueKind.String, waiting.ToString());
        });
        await Expect(page.Locator(".facts div", new() { HasText = "Waiting for" }).Locator("dd")).ToHaveTextAsync(waiting.GetProperty("waiting_for").GetString()!);

        await Press(page, "Pause");
        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "paused");
        Assert.Equal("paused", (await Node.CampaignAsync(c)).GetProperty("state").GetString());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Campaign {c} is paused." })).ToHaveCountAsync(1);

        await Press(page, "Resume");
        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "running");
        Assert.Equal("running", (await Node.CampaignAsync(c)).GetProperty("state").GetString());

        await Press(page, "Abort…");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abort campaign" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(StateBadge(page)).ToHaveAttributeAsync("data-state", "aborted");
        var aborted = await Node.AwaitCampaignAsync(c, "aborted");
        await AssertCampaignPageMatchesAsync(shell, aborted);
        Assert.Equal(new[] { "sim-0002", "sim-0005" }, Outcomes(aborted).Keys);
        await Artifacts.ScreenshotAsync(page, "campaign-aborted", output);
        await Accessibility.AssertNoSeriousFindingsAsync(page, "campaign (aborted)", output);

        // A refusal is shown, not swallowed: an aborted campaign cannot be rolled back twice… but it can be
        // rolled back once; pausing it is what the buttons no longer offer.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeDisabledAsync();
        await Node.EveryHostIdleWithItsOriginOnlyAsync();
        Assert.Empty(shell.ScriptErrors);
    }

    // ---------------------------------------------------------------- what the page shows vs the API

    private async Task AssertCampaignPageMatchesAsync(DashboardPage shell, JsonElement view)
    {
        string id = view.GetProperty("id").GetString()!;
        var hosts = view.GetProperty("hosts").EnumerateArray().ToList();
        await Expect(shell.Page.Locator($"table:has(caption:text-is('Hosts of {id}')) tbody tr")).ToHaveCountAsync(hosts.Count);
        // The stream may lag the API by one poll: wait for the page to show the final outcomes.
        foreach (var host in hosts)
        {
            var row = shell.Page.Locator($"table:has(caption:text-is('Hosts of {id}')) tbody tr", new() { HasText = host.GetProperty("host_id").GetString()! });
            await Expect(row.Locator("[data-state]")).ToHaveAttributeAsync("data-state", host.GetProperty("outcome").GetString()!);
        }
        var rows = await shell.RowsAsync($"Hosts of {id}");
        foreach (var (host, row) in hosts.Zip(rows))
        {
            Assert.Equal(host.GetProperty("host_id").GetString(), row[0]);
            Assert.Equal($"{host.GetProperty("wave").GetInt32()}", row[1]);
            string? step = host.GetProperty("step").GetString();
            // As `campaign status` prints it: the step number counted from 1.
            Assert.Equal(step is null ? "–" : $"{host.GetProperty("step_index").GetInt32() + 1}/{host.GetProperty("step_count").GetInt32()} {step}", row[2]);
            Assert.EndsWith(host.GetProperty("outcome").GetString()!, row[3]);
            Assert.Equal(host.GetProperty("detail").GetString() ?? "", row[4]);
        }
        var waves = view.GetProperty("waves").EnumerateArray().ToList();
        var waveRows = await shell.RowsAsync($"Waves of {id}");
        Assert.Equal(waves.Select(w => $"{w.GetProperty("number").GetInt32()}"), waveRows.Select(w => w[0]));
        Assert.Equal(waves.Select(w => w.GetProperty("name").GetString()), waveRows.Select(w => w[1]));
        Assert.Equal(waves.Select(w => string.Join(", ", w.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()))), waveRows.Select(w => w[2]));

        await Expect(shell.Page.Locator(".budget")).ToHaveTextAsync(
            $"Failure budget used: {view.GetProperty("failures_seen").GetInt32()} of {view.GetProperty("failures_allowed").GetInt32()} allowed");
        foreach (string outcome in new[] { "succeeded", "failed", "running", "pending", "skipped" })
            Assert.Equal(hosts.Count(h => h.GetProperty("outcome").GetString() == outcome), await shell.CountAsync(outcome));
        await Expect(shell.Page.Locator("ol.timeline li")).ToHaveCountAsync(view.GetProperty("timeline").GetArrayLength());
        var lastEvent = view.GetProperty("timeline").EnumerateArray().Last().GetProperty("what").GetString()!;
        await Expect(shell.Page.Locator("ol.timeline li").Last).ToContainTextAsync(lastEvent);
    }

    private static ILocator StateBadge(IPage page) => page.Locator(".facts div", new() { HasText = "State" }).Locator("[data-state]").First;

    private static ILocator LvRow(IPage page, string host, string lv) =>
        page.Locator($"table:has(caption:text-is('Logical volumes of {host} (lvs)')) tbody tr").Filter(new() { Has = page.Locator($"th:text-is('{lv}')") });

    private static Task Press(IPage page, string button) => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).PressAsync("Enter");

    private static async Task<string> CampaignIdFromUrlAsync(IPage page, string? not = null)
    {
        try
        {
            await Expect(page).ToHaveURLAsync(new Regex(not is null ? "#/campaigns/c[0-9]+$" : $"#/campaigns/(?!{not}$)c[0-9]+$"));
        }
        catch (PlaywrightException e)
        {
            // The page's own error line says why (a refusal by the node).
            string alerts = string.Join(" | ", await page.Locator("[role=alert]").AllInnerTextsAsync());
            throw new InvalidOperationException($"no new campaign view; the page says: {alerts}", e);
        }
        return CampaignId().Match(page.Url).Groups[1].Value;
    }

    [GeneratedRegex("#/campaigns/(c[0-9]+)$")]
    private static partial Regex CampaignId();

    private static string Percent(double p) => $"{p.ToString(p == Math.Floor(p) ? "0" : "0.00", System.Globalization.CultureInfo.InvariantCulture)} %";

    private static Dictionary<string, string> Outcomes(JsonElement view) =>
        view.GetProperty("hosts").EnumerateArray().ToDictionary(h => h.GetProperty("host_id").GetString()!, h => h.GetProperty("outcome").GetString()!);
}
